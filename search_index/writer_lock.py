"""The index writer lock: one writer at a time, and nothing left blocking after a writer is killed.

Every writer of the embedded index (the outbox drainer, ``claimdesk reindex``) holds
:class:`DrainLock` while it writes. A writer killed mid-write (kill -9, an OOM kill)
leaves nothing that blocks the next one:

- the lock is a POSIX record lock, owned by the process and dropped by the kernel when
  it dies; the worker processes it forked never hold it;
- those workers die with it (:func:`_die_with_parent`, ``PR_SET_PDEATHSIG`` on Linux)
  instead of waiting on their queue for good;
- the next holder logs that it took the lock over from a writer that is gone, and
  removes the generation folder a killed rebuild left half-written
  (:func:`remove_abandoned`).
"""

import contextlib
import ctypes
import fcntl
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
from datetime import datetime, timezone

LOCK_FILE = ".drain.lock"
PR_SET_PDEATHSIG = 1  # from linux/prctl.h

log = logging.getLogger("claimdesk.index")


class DrainLock:
    """One index writer at a time, across processes and across the threads of one process.

    The lock is a POSIX record lock (``lockf``), which belongs to the process that took it:
    the index workers it forks do not inherit it, and the kernel drops it when that process
    dies, however it dies. (An ``flock`` was shared with the forked workers, so a killed
    drainer's orphaned workers kept it and every later drainer waited in vain.) Threads of
    one process share POSIX locks, so a per-file thread lock orders them first; and as
    closing any descriptor of the file drops the process's lock, the file is opened only
    under that thread lock.

    The holder writes its pid and start time into the file and clears them on release: a
    lock file still naming another process was left by a killed holder, and taking it over
    is logged. Taking the lock also removes what a killed rebuild left
    (:func:`remove_abandoned`), and while it is held, processes forked by this one die
    with it (:func:`_die_with_parent`).
    """

    _threads: dict[str, threading.Lock] = {}
    _threads_guard = threading.Lock()

    def __init__(self, index_path: str):
        os.makedirs(index_path, exist_ok=True)
        self.index_path = index_path
        self.path = os.path.join(index_path, LOCK_FILE)
        self.fd = None
        self.taken_over: str | None = None  # the killed previous holder ("PID TIME"), when there was one
        with DrainLock._threads_guard:
            self._thread_lock = DrainLock._threads.setdefault(os.path.realpath(self.path), threading.Lock())

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock, waiting up to ``wait`` seconds; return whether it was taken."""
        deadline = time.monotonic() + wait
        taken = self._thread_lock.acquire(timeout=wait) if wait > 0 else self._thread_lock.acquire(blocking=False)
        if not taken:
            return False
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except BaseException:
            self._thread_lock.release()
            raise
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:  # EACCES or EAGAIN: another process holds it
                if time.monotonic() >= deadline:
                    os.close(fd)
                    self._thread_lock.release()
                    return False
                time.sleep(0.05)
        self.fd = fd
        previous = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if previous and previous.split()[0] != str(os.getpid()):
            self.taken_over = previous
            log.warning("took over the search index lock from a writer that is gone (pid and start: %s)", previous)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {_now()}\n".encode(), 0)
        _writers(+1)
        remove_abandoned(self.index_path)
        return True

    def release(self) -> None:
        """Let the next writer in."""
        if self.fd is not None:
            _writers(-1)
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            fcntl.lockf(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
            self._thread_lock.release()


def lock_holder(index_path: str) -> str | None:
    """Return who holds the index lock ("pid N since TIME"), or None when nobody does."""
    path = os.path.join(index_path, LOCK_FILE)
    with DrainLock._threads_guard:
        thread_lock = DrainLock._threads.setdefault(os.path.realpath(path), threading.Lock())
    # Probe under the thread lock: closing the probe's descriptor would drop a lock this process holds.
    if not thread_lock.acquire(blocking=False):
        return f"pid {os.getpid()} (this process)"
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid, _, since = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
            return f"pid {pid} since {since}" if pid else "another process"
        else:
            fcntl.lockf(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)
    finally:
        thread_lock.release()


# -- index workers die with their parent --------------------------------------------------------
_writing = 0  # how many threads of this process hold the index lock
_writing_guard = threading.Lock()
_forked_from: int | None = None


def _writers(change: int) -> None:
    global _writing
    with _writing_guard:
        _writing += change


def _before_fork() -> None:
    global _forked_from
    _forked_from = os.getpid()


def _die_with_parent() -> None:
    """In a process forked while the index lock is held, have the kernel kill it when its parent dies.

    Whoosh's multiprocess writer forks workers that wait on a queue for their parent: a
    killed parent would leave them asleep for good, holding the index's files.
    """
    if not _writing or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != _forked_from:  # the parent died before the request took effect
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_die_with_parent)


# -- what a killed writer left behind -----------------------------------------------------------
def remove_abandoned(index_path: str) -> list[str]:
    """Remove what a killed rebuild left: generation folders the live link does not name, a stale rebuild mark.

    Called with the index lock held (every writer holds it, so nothing else is building);
    returns the names removed.
    """
    current = os.path.join(index_path, "current")
    live = os.readlink(current) if os.path.islink(current) else None
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for name in sorted(os.listdir(index_path)):
            path = os.path.join(index_path, name)
            if re.fullmatch(r"gen-\d+", name) and name != live:
                shutil.rmtree(path, ignore_errors=True)
            elif name == ".rebuilding" or name.startswith(".current-"):
                with contextlib.suppress(OSError):
                    os.remove(path)
            else:
                continue
            removed.append(name)
    if removed:
        log.warning("removed what an interrupted index rebuild left in %s: %s", index_path, ", ".join(removed))
    return removed


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
