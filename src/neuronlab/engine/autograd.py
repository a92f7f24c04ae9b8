"""Reverse-mode automatic differentiation: ``backward`` walks the graph from the output back.

1. Give the output its gradient (1 for a scalar loss).
2. Visit the recorded nodes newest first. Every op numbers its node when it records it
   (``Function.apply``), and a node is always made after the nodes it was computed from, so
   "newest first" is a reverse topological order: by the time a node is visited, every node that
   used it has already added its share to the node's gradient -- this is why the order matters: a
   node used twice must hear from both users before it passes its gradient on. A heap keyed on
   that number hands out the newest waiting node; no recursion, so a 10,000-op chain is fine.
3. At each node, the op's ``backward`` turns the node's gradient into its inputs' gradients;
   broadcasting is undone; leaves (parameters) accumulate into ``.grad``.

``inputs_first`` is the same order found by a depth-first search, without the numbers: the graph
pictures use it, and a test holds the two orders consistent.
"""

from __future__ import annotations

from heapq import heappop, heappush

from .backend import xp
from .unbroadcast import unbroadcast


def inputs_first(root, *, leaves: bool = False, who: str = "backward") -> list:
    """The tensors ``root`` was computed from, each after all of its inputs (a topological order),
    the recorded (non-leaf) ones only unless ``leaves``. An explicit stack instead of recursion,
    so a chain of 10,000 ops is fine; inputs are visited in their own order."""
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        op = node._op
        if op is None and not leaves:
            continue
        stack.append((node, True))
        if op is None:
            continue
        if op.parents is None:
            raise RuntimeError(who + _FREED[len("backward") :])
        for parent in reversed(op.parents):
            if (leaves or parent._op is not None) and id(parent) not in visited:
                stack.append((parent, False))
    return order


def topological_order(root) -> list:
    """Recorded (non-leaf) nodes reachable from ``root``, each before the nodes it depends on:
    the order backward visits them in."""
    return inputs_first(root)[::-1]


def _seed_gradient(root, grad):
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: the output has shape {root.shape}, not a single number, so it needs "
                "to be told the gradient to start from. Reduce it to a scalar first (e.g. "
                "loss.sum() or loss.mean()), or pass backward(grad) with an array of shape "
                f"{root.shape}."
            )
        data = root.data
        return xp.array(1, dtype=data.dtype).reshape(data.shape)
    if hasattr(grad, "requires_grad"):  # a Tensor
        grad = grad.data
    grad = xp.array(grad, dtype=root.data.dtype, copy=True)  # .grad must not alias the caller's
    if grad.shape != root.shape:
        raise ValueError(
            f"backward: the gradient passed has shape {grad.shape} but the output has shape "
            f"{root.shape}; they must match."
        )
    return grad


def backward(root, grad=None, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf) into ``leaf.grad`` for every leaf that requires grad."""
    if not root.requires_grad:
        raise RuntimeError(
            "backward: this tensor does not require grad, so there is nothing to differentiate. "
            "Create the parameters with requires_grad=True (nn.Parameter does this), and make "
            "sure the computation did not run inside no_grad()."
        )
    seed = _seed_gradient(root, grad)
    if root._op is None:  # a leaf: d(root)/d(root) = 1
        _accumulate_leaf(root, seed, set())
        return
    grads = {id(root): seed}  # node -> its gradient so far (None: reached, no gradient yet)
    waiting = [(-root._op.seq, root)]  # newest node first; seq is unique, so nodes never compare
    handed_out = {id(seed)}  # arrays already stored in some .grad (never store one twice)
    while waiting:
        node = heappop(waiting)[1]
        op = node._op
        parents = op.parents
        if parents is None:
            raise RuntimeError(_FREED)
        g = grads.pop(id(node))
        parent_grads = _NONE
        if g is not None:
            if node._retains_grad:
                _accumulate_leaf(node, g, handed_out)
            parent_grads = op.backward(g)
        if len(parent_grads) < len(parents):  # no gradient at all, or none for the last inputs
            parent_grads = (*parent_grads, *(None,) * (len(parents) - len(parent_grads)))
        for parent, pg in zip(parents, parent_grads):
            if pg is not None and pg.shape != parent.data.shape and parent.requires_grad:
                pg = unbroadcast(pg, parent.data.shape)
            parent_op = parent._op
            if parent_op is not None:  # a recorded node: collect, visit once all users have been
                key = id(parent)
                if key in grads:
                    if pg is not None:
                        previous = grads[key]
                        grads[key] = pg if previous is None else previous + pg
                else:
                    grads[key] = pg
                    heappush(waiting, (-parent_op.seq, parent))
            elif pg is not None and parent.requires_grad:
                if (
                    parent.grad is None
                    and pg.base is None
                    and pg.dtype == parent.data.dtype
                    and id(pg) not in handed_out
                    and pg.flags.writeable
                ):
                    handed_out.add(id(pg))  # a fresh array of the right kind: store it
                    parent.grad = pg
                else:
                    _accumulate_leaf(parent, pg, handed_out)
        if not retain_graph:
            op.release()  # frees the saved arrays now, not when the graph is collected


_NONE = ()  # the parent gradients of a node that received none
_FREED = (
    "backward: this graph was already used by an earlier backward() and its saved values were "
    "freed. Call backward(retain_graph=True) the first time to go backward through (or inspect) "
    "the same graph again, or recompute the forward pass."
)


def _accumulate_leaf(leaf, g, handed_out: set) -> None:
    """leaf.grad += g, without ever sharing one array between two tensors' ``.grad``."""
    if g.dtype != leaf.data.dtype:
        g = g.astype(leaf.data.dtype)
    if leaf.grad is not None:
        leaf.grad = leaf.grad + g
        return
    owner = g if g.base is None else g.base
    if id(owner) in handed_out or not g.flags.writeable or g.shape != leaf.data.shape:
        g = xp.array(g, copy=True).reshape(leaf.data.shape)
        owner = g
    handed_out.add(id(owner))
    leaf.grad = g
