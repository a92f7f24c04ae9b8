"""Nested Python values (dicts, lists, tuples, numbers, strings, arrays) as JSON + named arrays.

Safetensors holds flat name -> array tensors plus string metadata. ``pack`` splits a nested value
such as an optimizer's ``state_dict()`` into both: every array goes to the tensors under a dotted
name built from its path (``optimizer.state.0.exp_avg``) and is replaced in the JSON by a
reference to it; everything else stays JSON. ``unpack`` puts them back together, with tuples,
integer dict keys and NumPy scalars restored exactly (JSON alone would turn tuples into lists).
Only data is stored, never code: an unknown type is refused when saving.

>>> import numpy as np
>>> arrays = {}
>>> tree = pack({"state": {0: {"step": 3, "m": np.zeros(2)}}, "betas": (0.9, 0.99)}, "opt", arrays)
>>> sorted(arrays)
['opt.state.0.m']
>>> unpack(tree, arrays)
{'state': {0: {'step': 3, 'm': array([0., 0.])}}, 'betas': (0.9, 0.99)}
"""

from __future__ import annotations

import numpy as np

from ..engine import Tensor

_ARRAY, _SCALAR, _TUPLE, _DICT = "__ndarray__", "__scalar__", "__tuple__", "__dict__"


def pack(value, key: str, arrays: dict):
    """``value`` as JSON-able data; its arrays are added to ``arrays`` under names from ``key``."""
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, (np.ndarray, np.generic)):
        name = _free_name(key, arrays)
        arrays[name] = np.asarray(value)
        return {_SCALAR if isinstance(value, np.generic) else _ARRAY: name}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [pack(v, f"{key}.{i}", arrays) for i, v in enumerate(value)]
        return {_TUPLE: items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: pack(v, f"{key}.{k}", arrays) for k, v in value.items()}
        return {
            _DICT: [
                [pack(k, f"{key}.key", {}), pack(v, f"{key}.{k}", arrays)] for k, v in value.items()
            ]
        }
    raise TypeError(
        f"cannot save {key!r}: a {type(value).__name__} is neither an array, a number, a string, "
        "None, nor a list, tuple or dict of those; convert it to one of these first"
    )


def unpack(tree, arrays: dict, source=""):
    """The value that :func:`pack` turned into ``tree``, with its arrays taken from ``arrays``.

    A tag with the wrong content (a file damaged or crafted) is a ``ValueError`` naming
    ``source``.
    """
    if isinstance(tree, list):
        return [unpack(v, arrays, source) for v in tree]
    if not isinstance(tree, dict):
        return tree
    if len(tree) == 1:
        ((tag, content),) = tree.items()
        if tag in (_ARRAY, _SCALAR):
            if not isinstance(content, str) or content not in arrays:
                raise _bad(
                    source,
                    f"its metadata refers to a tensor {str(content)[:80]!r} that it does not hold",
                )
            array = arrays[content]
            return array[()] if tag == _SCALAR else array
        if tag == _TUPLE:
            return tuple(unpack(v, arrays, source) for v in _tagged_list(tag, content, source))
        if tag == _DICT:
            pairs = _tagged_list(tag, content, source)
            if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
                raise _bad(source, f"a {tag} entry of its metadata is not [key, value] pairs")
            return {
                _hashable(unpack(k, arrays, source), source): unpack(v, arrays, source)
                for k, v in pairs
            }
    return {k: unpack(v, arrays, source) for k, v in tree.items()}


def _tagged_list(tag: str, content, source) -> list:
    if not isinstance(content, list):
        raise _bad(source, f"its metadata's {tag} holds {str(content)[:80]}, expected a list")
    return content


def referenced(tree) -> set[str]:
    """The names of every array that ``tree`` refers to."""
    found, stack = set(), [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if len(node) == 1 and next(iter(node)) in (_ARRAY, _SCALAR):
                name = next(iter(node.values()))
                if isinstance(name, str):
                    found.add(name)
            else:
                stack.extend(node.values())
    return found


def _bad(source, problem: str) -> ValueError:
    """A ``CorruptFileError`` naming the file ``source``, or a ``ValueError`` without one."""
    from .safetensors import CorruptFileError

    return CorruptFileError(source, problem, "neuronlab file") if source else ValueError(problem)


def _free_name(key: str, arrays: dict) -> str:
    """``key``, or ``key#2``, ``key#3``... if another value already took it."""
    name, n = key, 1
    while name in arrays:
        n += 1
        name = f"{key}#{n}"
    return name


def _hashable(key, source=""):
    if isinstance(key, list):
        return tuple(_hashable(k, source) for k in key)
    if isinstance(key, dict):
        raise _bad(source, f"a dict key in its metadata is {str(key)[:80]}, which cannot be a key")
    return key
