"""Say which of the instance's folders and files cannot be written, before anything tries to write them.

The check writes for real (a temporary file in each folder, the database file opened
for writing) instead of asking ``os.access``: permission bits say nothing for root, and
a read-only mount, an immutable folder or a path through a file refuse writes whatever
the bits say. ``create_app`` runs it first, so ``claimdesk serve``, ``claimdesk db
check`` and every other command say what is not writable instead of failing later with
a traceback.
"""

import os
import tempfile

from review.errors import ReviewError


class NotWritable(ReviewError):
    """The instance cannot be written; ``problems`` lists each folder or file and why."""

    status = 503

    def __init__(self, problems: list[str]):
        super().__init__("cannot write the instance: " + "; ".join(problems) + ". Make them writable by the user "
                         "running claimdesk, or point CLAIMDESK_INSTANCE, CLAIMDESK_DB or CLAIMDESK_INDEX elsewhere.")
        self.problems = problems


def problems(config) -> list[str]:
    """Return what of the instance cannot be written, one phrase each ("the database folder X is not writable (why)")."""
    folders = {config["INSTANCE"]: "the instance folder"}
    if not config.get("DATABASE_URL"):
        folders.setdefault(os.path.dirname(config["DB"]), "the database folder")
    folders.setdefault(config["INDEX"], "the search index folder")
    found, probed = [], set()
    for folder, label in folders.items():
        existing = _nearest_existing(folder)  # a folder not made yet would be made in this one
        if existing in probed:
            continue
        probed.add(existing)
        reason = _folder_problem(folder, existing)
        if reason:
            found.append(f"{label} {folder} is not writable ({reason})")
    if not config.get("DATABASE_URL") and os.path.exists(config["DB"]):
        try:
            with open(config["DB"], "r+b"):
                pass
        except OSError as error:
            found.append(f"the database file {config['DB']} is not writable ({error.strerror})")
    return found


def check(config) -> None:
    """Raise :class:`NotWritable` when part of the instance cannot be written."""
    found = problems(config)
    if found:
        raise NotWritable(found)


def _nearest_existing(folder: str) -> str:
    while not os.path.lexists(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


def _folder_problem(folder: str, existing: str) -> str | None:
    """Return why no file can be created in ``folder`` (tried in ``existing``, the folder that is or would hold it)."""
    if not os.path.isdir(existing):
        return "it is a file, not a folder" if existing == folder else f"{existing} is a file, not a folder"
    try:
        fd, path = tempfile.mkstemp(prefix=".write-check-", dir=existing)
    except OSError as error:
        return error.strerror or str(error)
    os.close(fd)
    os.unlink(path)
    return None
