"""The one file and folder walker: which files a list of paths names, and their bytes.

Both pipelines that read files use it: ingest (articles) and the ClaimReview import.
:func:`read_files` yields a :class:`SourceFile` per file (or per path that could not be
read), in a stable order; :func:`measure_paths` adds up their sizes for a progress bar.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from review.urls import looks_like_url


@dataclass
class SourceFile:
    """One file's bytes, or the error met reading it (or listing its folder)."""

    path: Path
    data: bytes | None = None
    error: OSError | None = None
    folder: bool = False  # the error is about listing a folder, not reading a file

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def problem(self) -> str:
        """Return why the file could not be read: "cannot read file (no such file or folder)"."""
        if self.error is None:
            return ""
        if isinstance(self.error, FileNotFoundError):
            reason = "no such file or folder"
        else:
            reason = self.error.strerror or str(self.error)
        return f"cannot read {'folder' if self.folder else 'file'} ({reason})"


def walk_files(path: str | os.PathLike, *, suffixes: Iterable[str] | None = None
               ) -> Iterator[tuple[Path, OSError | None]]:
    """Yield (file, None) under a folder, recursively and sorted by name, skipping hidden entries.

    A folder that cannot be listed is yielded as (folder, error) and the walk goes on.
    Linked folders are followed once each, so a link loop cannot make the walk endless.

    :param suffixes: only files whose lower-cased suffix is one of these (".json"); default all.
    """
    wanted = {s.lower() for s in suffixes} if suffixes is not None else None
    seen: set[str] = set()

    def walk(folder: Path) -> Iterator[tuple[Path, OSError | None]]:
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop
            return
        seen.add(real)
        try:
            children = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as error:
            yield folder, error
            return
        for child in children:
            if child.name.startswith("."):
                continue
            if child.is_dir():
                yield from walk(child)
            elif wanted is None or child.suffix.lower() in wanted:
                yield child, None

    yield from walk(Path(path))


def read_files(paths: Iterable[str | os.PathLike], *, suffixes: Iterable[str] | None = None
               ) -> Iterator[SourceFile]:
    """Yield each file a list of paths names (folders read recursively), with its bytes or its error.

    A path given on its own is read whatever its suffix; ``suffixes`` filters folder contents only.
    """
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            yield read_file(path)
            continue
        for file, error in walk_files(path, suffixes=suffixes):
            yield SourceFile(file, error=error, folder=True) if error else read_file(file)


def read_file(path: str | os.PathLike) -> SourceFile:
    """Return one file's bytes, or the error reading it."""
    path = Path(path)
    try:
        return SourceFile(path, path.read_bytes())
    except OSError as error:
        return SourceFile(path, error=error, folder=path.is_dir())


def measure_paths(paths: Iterable[str], *, suffixes: Iterable[str] | None = None) -> int:
    """Return the total size in bytes of the files :func:`read_files` would read (URLs count 0)."""
    total = 0
    for path in paths:
        if looks_like_url(path):
            continue
        files = walk_files(path, suffixes=suffixes) if os.path.isdir(path) else [(Path(path), None)]
        total += sum(_size(file) for file, error in files if error is None)
    return total


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0
