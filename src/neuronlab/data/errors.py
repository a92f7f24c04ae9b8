"""Exceptions raised by :mod:`neuronlab.data`.

Both carry enough detail in their message to fix the problem without reading the source:
which files were searched, which URLs or commands get the data, which file is broken.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CorruptDatasetError", "DatasetNotFoundError"]


class DatasetNotFoundError(FileNotFoundError):
    """A data set's files are not on this machine and could not be downloaded.

    Attributes:
        dataset: registry name of the data set (e.g. ``"fashion_mnist"``).
        searched: every folder that was searched, in lookup order.
        urls: the official URLs the files come from.
        hints: shell commands or instructions that get the data.
        reasons: why each download attempt failed (empty when downloading was disabled).
    """

    def __init__(
        self,
        message: str,
        *,
        dataset: str = "",
        searched: Sequence[str] = (),
        urls: Sequence[str] = (),
        hints: Sequence[str] = (),
        reasons: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.dataset = dataset
        self.searched = list(searched)
        self.urls = list(urls)
        self.hints = list(hints)
        self.reasons = list(reasons)

    def __str__(self) -> str:  # FileNotFoundError would print "[Errno None] ..." otherwise
        return str(self.args[0])


class CorruptDatasetError(ValueError):
    """A data file exists but its bytes are wrong (bad checksum, truncated, wrong format).

    Attributes:
        path: the offending file (or the URL, for a download that failed verification).
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path
