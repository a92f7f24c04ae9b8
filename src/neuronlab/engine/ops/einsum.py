"""``einsum``: products and sums written as index strings, e.g. ``"bij,bjk->bik"``.

y[out] = sum over the indices missing from ``out`` of the product of the operands.
The gradient of one operand is itself an einsum: dout times every other operand, summed down to
that operand's indices (an index that appears in no other place is a plain broadcast, supplied
by an array of ones).
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


def parse(equation: str, ndims) -> tuple[list[str], str]:
    """The input subscripts and the output subscript, checked; an output is made (indices that
    occur once, in alphabetical order) when the equation has no ``->``."""
    who = "einsum"
    eq = equation.replace(" ", "")
    if "." in eq:
        raise ValueError(f"{who}: '...' (ellipsis) is not supported here; name every axis")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ValueError(
            f"{who}: the equation {equation!r} names {len(ins)} operands, got {len(ndims)}"
        )
    for sub, n in zip(ins, ndims):
        if len(sub) != n:
            raise ValueError(
                f"{who}: subscript {sub!r} has {len(sub)} indices for an operand with {n} "
                "dimensions; give one letter per axis"
            )
        if len(set(sub)) != len(sub):
            raise ValueError(
                f"{who}: a repeated index inside one operand ({sub!r}, a diagonal) is not "
                "supported; take the diagonal with indexing first"
            )
    if not arrow:
        letters = "".join(ins)
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return ins, out


@register
class Einsum(Function):
    """y = einsum(equation, *operands)

    Backward: d operand_k = einsum(out, the other subscripts -> subscript_k) of dout and the
    other operands; indices of operand_k found nowhere else broadcast (multiplied by ones).
    """

    name = "einsum"

    def forward(self, *arrays, equation):
        self.ins, self.out = parse(equation, [a.ndim for a in arrays])
        self.arrays = arrays
        sizes = {}
        for sub, a in zip(self.ins, arrays):
            sizes.update(zip(sub, a.shape))
        self.sizes = sizes
        return xp.einsum(f"{','.join(self.ins)}->{self.out}", *arrays)

    def backward(self, dout):
        grads = []
        for k, sub in enumerate(self.ins):
            if not self.needs_grad(k):
                grads.append(None)
                continue
            subs, ops = [self.out], [dout]
            for j, (s, a) in enumerate(zip(self.ins, self.arrays)):
                if j != k:
                    subs.append(s)
                    ops.append(a)
            missing = [c for c in sub if c not in "".join(subs)]
            if missing:
                subs.append("".join(missing))
                ops.append(xp.ones([self.sizes[c] for c in missing], dtype=dout.dtype))
            grads.append(xp.einsum(f"{','.join(subs)}->{sub}", *ops))
        return tuple(grads)

    def describe(self):
        return f"einsum({','.join(self.ins)}->{self.out})" if hasattr(self, "ins") else self.name
