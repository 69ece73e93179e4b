"""The folders of the Whoosh engine: generations, the ``current`` link, the schema version and rebuild marks.

Layout: ``INDEX/gen-NNNN/documents`` and ``INDEX/gen-NNNN/verdicts`` are two
Whoosh indexes, ``INDEX/gen-NNNN/VERSION`` the schema version they were built
with, and ``INDEX/current`` a symlink naming the live generation. ``INDEX/.rebuilding``
exists while a rebuild from the database runs (``mark_rebuilding``).

Readers check for changes cheaply, once per search: one ``readlink`` of
``current`` and one ``stat`` of the searched index's folder (a commit adds a
file there, which changes the folder's modification time), never an index open
when nothing changed (``Watch``).
"""

import contextlib
import os
import re
import threading
import time

from whoosh import index

from search_index.whoosh_schema import SCHEMA_VERSION, make_schema  # noqa: F401 - readers compare it

SUBDIRS = {"document": "documents", "verdict": "verdicts"}
VERSION_FILE = "VERSION"
REBUILDING_FILE = ".rebuilding"
# A folder changed this recently may change again within the file system's clock tick: check it anyway.
SETTLE_NS = 2_000_000_000


def current_link(path: str) -> str:
    """Return the path of the ``current`` symlink of an index folder."""
    return os.path.join(path, "current")


def read_current(path: str) -> str | None:
    """Return the generation ``current`` names (its folder name), or None when there is none."""
    try:
        return os.readlink(current_link(path))
    except OSError:
        return None


def new_generation(path: str) -> str:
    """Create the next ``gen-NNNN`` folder with an empty index per kind and its schema version."""
    os.makedirs(path, exist_ok=True)
    existing = [int(n[4:]) for n in os.listdir(path) if re.fullmatch(r"gen-\d+", n)]
    number = max(existing, default=0) + 1
    while True:
        target = os.path.join(path, f"gen-{number:04d}")
        try:
            os.makedirs(target)
            break
        except FileExistsError:
            number += 1
    for subdir in SUBDIRS.values():
        os.makedirs(os.path.join(target, subdir))
        index.create_in(os.path.join(target, subdir), make_schema())
    with open(os.path.join(target, VERSION_FILE), "w", encoding="utf-8") as file:
        file.write(f"{SCHEMA_VERSION}\n")
    return target


def point_current_at(path: str, target: str) -> None:
    """Point ``current`` at ``target`` with an atomic rename."""
    link_tmp = os.path.join(path, f".current-{os.getpid()}-{threading.get_ident()}")
    if os.path.lexists(link_tmp):
        os.remove(link_tmp)
    os.symlink(os.path.basename(target), link_tmp)
    os.replace(link_tmp, current_link(path))


def generation_version(generation: str) -> int | None:
    """Return the schema version a generation folder was built with (None for one built before versions)."""
    try:
        with open(os.path.join(generation, VERSION_FILE), encoding="utf-8") as file:
            return int(file.read().strip() or 0)
    except (OSError, ValueError):
        return None


def status(path: str) -> str:
    """Return ``ready``, ``missing`` (no live generation) or ``outdated`` (built with another schema)."""
    name = read_current(path)
    if name is None:
        return "missing"
    generation = os.path.join(path, name)
    if not all(index.exists_in(os.path.join(generation, sub)) for sub in SUBDIRS.values()):
        return "missing"
    return "ready" if generation_version(generation) == SCHEMA_VERSION else "outdated"


def rebuilding(path: str) -> bool:
    """Return whether a rebuild from the database is running (or was cut off before it finished)."""
    return os.path.exists(os.path.join(path, REBUILDING_FILE))


@contextlib.contextmanager
def mark_rebuilding(path: str):
    """Mark the index as being rebuilt for as long as the block runs."""
    os.makedirs(path, exist_ok=True)
    marker = os.path.join(path, REBUILDING_FILE)
    with open(marker, "w", encoding="utf-8") as file:
        file.write(f"{os.getpid()}\n")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.remove(marker)


class Watch:
    """Tell, with one ``stat``, whether an index folder may have changed since it was last opened."""

    def __init__(self):
        self._stamps: dict[str, int] = {}

    def stamp(self, folder: str) -> int | None:
        """Return the folder's modification time in nanoseconds (None when it is gone)."""
        try:
            return os.stat(folder).st_mtime_ns
        except OSError:
            return None

    def unchanged(self, folder: str) -> bool:
        """Return whether the folder is as it was when ``remember`` last saw it (and had settled)."""
        known = self._stamps.get(folder)
        return known is not None and known == self.stamp(folder) and time.time_ns() - known > SETTLE_NS

    def remember(self, folder: str, stamp: int | None) -> None:
        """Record the stamp a folder had just before it was opened."""
        if stamp is None:
            self._stamps.pop(folder, None)
        else:
            self._stamps[folder] = stamp

    def forget(self) -> None:
        self._stamps.clear()
