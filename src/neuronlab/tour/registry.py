"""Chapters discovered from ``tour/chapters/*/``, in the tour order of DESIGN.md section 4.

A chapter folder has an ``__init__.py`` defining ``CHAPTER`` and a ``text.md``. A chapter
whose import fails is skipped with a warning, so one broken chapter never takes the lab down.
"""

from __future__ import annotations

import importlib
import threading
import warnings
from pathlib import Path

from .chapter import Chapter

__all__ = ["ORDER", "get_chapter", "list_chapters"]

ORDER = [
    "neuron",
    "playground",
    "learning",
    "practice",
    "architectures",
    "depth",
    "interpretability",
    "transfer",
    "evaluation",
    "responsibility",
    "next-steps",
]

CHAPTERS_DIR = Path(__file__).parent / "chapters"
_lock = threading.Lock()
_cache: list[Chapter] | None = None


def _sort_key(chapter_id: str) -> tuple[int, str]:
    return (ORDER.index(chapter_id) if chapter_id in ORDER else len(ORDER), chapter_id)


def _load(folder: Path) -> Chapter | None:
    module_name = f"{__package__}.chapters.{folder.name}"
    try:
        module = importlib.import_module(module_name)
        chapter = module.CHAPTER
    except Exception as error:  # noqa: BLE001 - a broken chapter must not break the others
        warnings.warn(
            f"tour chapter {folder.name!r} could not be loaded ({type(error).__name__}: {error}); "
            "it is left out of the tour",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    if not isinstance(chapter, Chapter) or chapter.id != folder.name:
        warnings.warn(
            f"tour chapter folder {folder.name!r} must define CHAPTER = Chapter(id="
            f"{folder.name!r}, ...); it is left out of the tour",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    if chapter.folder is None:
        chapter.folder = folder
    return chapter


def list_chapters(reload: bool = False) -> list[Chapter]:
    """Every chapter found, in tour order (known ids first, then the others alphabetically)."""
    global _cache
    with _lock:
        if _cache is None or reload:
            folders = sorted(
                (f for f in CHAPTERS_DIR.iterdir() if (f / "__init__.py").is_file()),
                key=lambda f: _sort_key(f.name),
            )
            _cache = [c for c in map(_load, folders) if c is not None]
        return list(_cache)


def get_chapter(chapter_id: str) -> Chapter:
    """The chapter with this id; ``KeyError`` naming the chapters that exist."""
    for chapter in list_chapters():
        if chapter.id == chapter_id:
            return chapter
    ids = ", ".join(c.id for c in list_chapters()) or "none"
    raise KeyError(f"no tour chapter {chapter_id!r}; chapters: {ids}")


def neighbours(chapter_id: str) -> tuple[str | None, str | None]:
    """The ids of the previous and next chapters (``None`` at either end)."""
    ids = [c.id for c in list_chapters()]
    i = ids.index(chapter_id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)
