"""Error text shared by several ops."""

from __future__ import annotations

from ..function import shapes_text


def broadcast_error(op_name: str, shapes) -> str:
    return (
        f"{op_name}: cannot broadcast shapes {shapes_text(shapes)} together. Broadcasting lines "
        "shapes up from the right; each pair of sizes must be equal or one of them must be 1. "
        "Reshape one operand (e.g. x.reshape(-1, 1) or x.unsqueeze(0)) so that they line up."
    )
