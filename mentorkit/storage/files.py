"""Writing files that hold personal data: owner-only, whatever the umask.

Exports, rejects files, reminders, calendars and access tokens name people and may hold their
answers, so every such file is created ``0600`` and every folder mentorkit makes for them
``0700``. A file that already exists is narrowed to ``0600`` before it is written, so a copy
left readable by an earlier version does not stay readable.
"""

from __future__ import annotations

import os
from pathlib import Path

from mentorkit.kernel.errors import MentorkitError

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class KeyFileWarning(UserWarning):
    """A key file (the notes key) can be read by other users of the machine."""


class OutputPathError(MentorkitError, ValueError):
    """A file or folder cannot be written where the user asked (no such folder, no access)."""


def _check_parent(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        raise OutputPathError(f"cannot write {path}: there is no folder {parent}")


def write_private(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path``, readable and writable by its owner only."""
    path = Path(path)
    _check_parent(path)
    if path.is_dir():
        raise OutputPathError(f"cannot write {path}: it is a folder")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_symlink():  # it could point anywhere; write where the user named, or nowhere
        raise OutputPathError(f"cannot write {path}: it is a symbolic link")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    except OSError as error:
        raise OutputPathError(f"cannot write {path}: {error.strerror}") from None
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(payload)
    finally:
        os.close(fd)
    return path


def private_folder(path: Path) -> Path:
    """A folder for files with personal data: made owner-only (``0700``, whatever the
    umask) if missing, its parent having to exist. A folder that exists keeps its
    permissions (it may be shared, like /tmp); the files written into it are owner-only."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"cannot write into {path}: it is a file, not a folder")
    if not path.exists():
        _check_parent(path)
        try:
            path.mkdir(mode=FOLDER_MODE)
            path.chmod(FOLDER_MODE)  # mkdir's mode is masked by the umask
        except OSError as error:
            raise OutputPathError(f"cannot make folder {path}: {error.strerror}") from None
    return path


def readable_by_others(path: Path) -> bool:
    """Whether a group or other users may read ``path`` (a key file should not be)."""
    return bool(Path(path).stat().st_mode & 0o044)
