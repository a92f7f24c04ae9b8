"""Find a data set's files, or download them safely.

:func:`ensure_dataset` returns the folder holding a data set's files: the first folder in lookup
order (see :mod:`neuronlab.data.paths`) that has them all, else a fresh download. A download
streams into a temporary file *in the destination folder*, is verified against the registry's
SHA-256 (and MD5 when published), and only then is moved into place with :func:`os.replace`, so
a file under its final name is always complete and verified. On any failure the temporary file
is removed. Network errors become a :class:`DatasetNotFoundError` that lists every folder
searched and the exact commands that fetch the data.

A server cannot keep a download going for ever or fill the disk: each attempt has an overall
deadline (besides the timeout of every read), and reading stops as soon as the server sends
more than the registered size plus a small margin.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import time
import zlib
from http.client import HTTPException
from pathlib import Path

from .catalog import DatasetInfo, RemoteFile
from .errors import CorruptDatasetError, DatasetNotFoundError
from .paths import download_dir, find_dataset_dir, resolve_file, search_dirs
from .progress import ProgressBar

__all__ = ["check_integrity", "download_file", "ensure_dataset", "file_digest"]

_CHUNK = 1 << 20
SIZE_MARGIN = 0.05  # a download may exceed its registered size by 5% (at least 64 KiB)
MAX_UNREGISTERED_BYTES = 4 << 30  # the cap for a file whose size is not registered
USER_AGENT = "neuronlab-data/0.1 (+https://github.com/; Python urllib)"


def file_digest(path: str | os.PathLike[str], algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _gunzip_digest(path: Path) -> str:
    """SHA-256 of a gzip file's content (streamed: a large one costs time, never memory)."""
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def size_cap(spec: RemoteFile) -> int:
    """The most bytes a download of ``spec`` may deliver: its registered size plus a margin."""
    if not spec.size:
        return MAX_UNREGISTERED_BYTES
    return spec.size + max(int(spec.size * SIZE_MARGIN), 64 * 1024)


def default_deadline(spec: RemoteFile) -> float:
    """Seconds one download attempt may take in all: two minutes, plus 10 s per MB."""
    return 120.0 + 10.0 * (spec.size or 0) / 1e6


def check_integrity(path: str | os.PathLike[str], spec: RemoteFile) -> str:
    """Verify a local file against the registry; return how it matched.

    Returns ``"file"`` when the file's own SHA-256/MD5 match the published values,
    ``"content"`` when its decompressed payload matches ``spec.content_sha256`` (a recompressed
    or uncompressed copy, such as Debian's), ``"unchecked"`` for a folder (an extracted archive).
    Raises :class:`CorruptDatasetError` otherwise.
    """
    p = Path(path)
    if p.is_dir():
        return "unchecked"
    sha = file_digest(p)
    if spec.sha256 and sha == spec.sha256 and (not spec.md5 or file_digest(p, "md5") == spec.md5):
        return "file"
    if spec.content_sha256:
        try:
            content = sha if p.name != spec.name or not _is_gzip(p) else _gunzip_digest(p)
        except (OSError, EOFError, zlib.error) as exc:
            raise _corrupt(p, spec, f"cannot be decompressed ({exc})") from exc
        if content == spec.content_sha256:
            return "content"
    raise _corrupt(p, spec, f"has sha256 {sha}, expected {spec.sha256}")


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _corrupt(path: Path, spec: RemoteFile, what: str) -> CorruptDatasetError:
    return CorruptDatasetError(
        f"check_integrity · expected {spec.name} to match the published checksum · {path} "
        f"{what} · delete {path} so that it is downloaded again",
        path=str(path),
    )


class _NetworkError(Exception):
    """A download attempt that failed for a network (not a checksum) reason."""


def download_file(
    spec: RemoteFile,
    directory: str | os.PathLike[str],
    *,
    progress: bool | None = None,
    timeout: float = 60.0,
    deadline: float | None = None,
) -> Path:
    """Download ``spec`` into ``directory`` atomically; return the final path.

    Tries each of ``spec.urls`` in turn. Raises :class:`CorruptDatasetError` when a server
    delivered bytes that fail verification (or more bytes than registered),
    :class:`ConnectionError` when every URL failed for network reasons (a read that waits past
    ``timeout`` seconds, an attempt that runs past ``deadline`` seconds in all -- by default
    :func:`default_deadline`). Never leaves a partial file behind.
    """
    deadline = default_deadline(spec) if deadline is None else deadline
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if not spec.sha256 and not spec.md5:
        raise ValueError(
            f"download_file · expected a sha256 or md5 for {spec.name} in the registry · got "
            "neither · refusing to download an unverifiable file"
        )
    failures: list[str] = []
    corrupt: list[str] = []
    for url in spec.urls:
        try:
            return _download_one(
                url, spec, directory, progress=progress, timeout=timeout, deadline=deadline
            )
        except _NetworkError as exc:
            failures.append(f"{url}: {exc}")
        except CorruptDatasetError as exc:
            corrupt.append(str(exc))
    if corrupt:
        raise CorruptDatasetError(" | ".join(corrupt + failures), path=spec.urls[0])
    raise ConnectionError("; ".join(failures))


def _download_one(
    url: str,
    spec: RemoteFile,
    directory: Path,
    *,
    progress: bool | None,
    timeout: float,
    deadline: float,
) -> Path:
    import urllib.request

    final = directory / spec.name
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{spec.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        sha = hashlib.sha256()
        md5 = hashlib.md5()
        size, cap, ends = 0, size_cap(spec), time.monotonic() + deadline
        with os.fdopen(fd, "wb") as out:
            try:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
                with urllib.request.urlopen(request, timeout=min(timeout, deadline)) as response:
                    length = response.headers.get("Content-Length")
                    length = int(length) if length and length.isdigit() else None
                    if length is not None and length > cap:
                        raise _too_big(spec, url, f"announces {length:,} bytes", cap)
                    with ProgressBar(spec.name, length or spec.size, enabled=progress) as bar:
                        # read1: whatever has arrived (a slow server cannot hold one read long)
                        for chunk in iter(lambda: response.read1(_CHUNK), b""):
                            size += len(chunk)
                            if size > cap:
                                raise _too_big(spec, url, f"sent over {cap:,} bytes", cap)
                            out.write(chunk)
                            sha.update(chunk)
                            md5.update(chunk)
                            bar.advance(len(chunk))
                            if time.monotonic() > ends:
                                raise _NetworkError(
                                    f"the download took longer than {deadline:g} s in all "
                                    f"({size:,} bytes had arrived); the server is too slow, "
                                    "try again later or fetch the file by hand"
                                )
            except CorruptDatasetError:
                raise
            except (OSError, HTTPException, ValueError) as exc:
                raise _NetworkError(f"{type(exc).__name__}: {exc}") from exc
        if length is not None and size != length:
            raise _NetworkError(f"the transfer stopped after {size:,} of {length:,} bytes")
        problems = []
        if spec.sha256 and sha.hexdigest() != spec.sha256:
            problems.append(f"sha256 {sha.hexdigest()} (expected {spec.sha256})")
        if spec.md5 and md5.hexdigest() != spec.md5:
            problems.append(f"md5 {md5.hexdigest()} (expected {spec.md5})")
        if problems:
            raise CorruptDatasetError(
                f"download · expected {spec.name} from {url} to match the published checksum · "
                f"got {size:,} bytes with {'; '.join(problems)} · nothing was saved; retry "
                "later or download the file by hand and check it",
                path=url,
            )
        os.replace(tmp, final)
        return final
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _too_big(spec: RemoteFile, url: str, what: str, cap: int) -> CorruptDatasetError:
    registered = f"{spec.size:,} bytes" if spec.size else "no registered size"
    return CorruptDatasetError(
        f"download · expected {spec.name} from {url} to be about {registered} · the server "
        f"{what}, more than the {cap:,} allowed · stopped; nothing was saved. The server "
        "sends the wrong file: try again later or download the file by hand and check it",
        path=url,
    )


def _fetch_lines(info: DatasetInfo, target: Path) -> list[str]:
    lines = []
    for spec in info.files:
        lines.append(f"curl -fL --create-dirs -o {target / spec.name} {spec.urls[0]}")
    return lines


def not_found_error(
    info: DatasetInfo, who: str, *, reasons: list[str] | None = None
) -> DatasetNotFoundError:
    """Build the error that says where we looked and how to get the data."""
    searched = search_dirs(info)
    target = download_dir(info)
    urls = [u for spec in info.files for u in spec.urls]
    names = ", ".join(spec.name for spec in info.files)
    lines = [
        f"{who} · expected the {info.title} files ({names}) · not found in any of:",
        *(f"    {d}   ({label})" for d, label in searched),
    ]
    if reasons is None:
        lines.append("  downloading is disabled (download=False)")
    else:
        lines.append("  the download failed:")
        lines += [f"    {r}" for r in reasons]
    hints = list(info.install_hints)
    hints.append(f"download the files into {target}:")
    hints += [f"    {cmd}" for cmd in _fetch_lines(info, target)]
    hints.append(f"or set NEURONLAB_DATA to a folder that holds {info.folder}/ with those files")
    if reasons is None:
        hints.append("or call the loader with download=True")
    lines.append("  to fix, do one of:")
    lines += [f"    {h}" for h in hints]
    return DatasetNotFoundError(
        "\n".join(lines),
        dataset=info.name,
        searched=[str(d) for d, _ in searched],
        urls=urls,
        hints=hints,
        reasons=reasons or [],
    )


def ensure_dataset(
    info: DatasetInfo,
    *,
    download: bool = True,
    progress: bool | None = None,
    who: str = "load",
) -> Path:
    """Return the folder holding all of ``info``'s files, downloading them if allowed."""
    found = find_dataset_dir(info)
    if found is not None:
        return found
    if not download:
        raise not_found_error(info, who)
    target = download_dir(info)
    reasons: list[str] = []
    for spec in info.files:
        if target.is_dir() and resolve_file(target, spec) is not None:
            continue
        try:
            download_file(spec, target, progress=progress)
        except (ConnectionError, OSError) as exc:
            reasons.append(f"{spec.name}: {exc}")
    if reasons:
        raise not_found_error(info, who, reasons=reasons)
    return target
