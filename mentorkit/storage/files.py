"""Writing files that hold personal data: owner-only, whatever the umask, and never through
something that is not a file of the user's own.

Exports, rejects files, reminders, calendars and access tokens name people and may hold their
answers, so every such file is created ``0600`` and every folder mentorkit makes for them
``0700``. A file is written beside its target and then renamed over it, so a failure (a full
disk, a killed process) leaves the earlier file as it was, and an existing target is checked
before anything is written: a symbolic link, a hard link (writing it would change the other
name's file too), a pipe or device, or a file another user owns is refused, never truncated.
:func:`all_or_none` writes several files as one: all of them are in place, or none.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.notices import KeyFileWarning as KeyFileWarning  # where it was before

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class OutputPathError(MentorkitError, ValueError):
    """A file or folder cannot be written where the user asked (no such folder, no access,
    or something there that is not the user's own regular file)."""


def _check_parent(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        raise OutputPathError(f"cannot write {path}: there is no folder {parent}")


def _refusal(path: Path) -> str | None:
    """Why an existing ``path`` must not be replaced, or None (nothing there, or a regular
    file of this user's with no other name)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or type(error).__name__
    if stat.S_ISLNK(found.st_mode):  # it could point anywhere; write where named, or nowhere
        return "it is a symbolic link"
    if stat.S_ISDIR(found.st_mode):
        return "it is a folder"
    if not stat.S_ISREG(found.st_mode):
        return "it is not a regular file (a pipe, a device or a socket)"
    if found.st_nlink > 1:
        return "it is a hard link to another file name, which writing it would change too"
    if found.st_uid != os.geteuid():
        return "it belongs to another user; remove it or choose another name"
    return None


def check_target(path: Path) -> Path:
    """``path``, if a file may be written there; else :class:`OutputPathError`."""
    path = Path(path)
    _check_parent(path)
    if (why := _refusal(path)) is not None:
        raise OutputPathError(f"cannot write {path}: {why}")
    return path


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new owner-only file beside ``path``, to be renamed over it."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _new_file(temp, data, path, f"no file can be made in {path.parent} ")
    return temp


def _direct(path: Path, data: bytes) -> None:
    """``data`` in a new owner-only file ``path`` that must not exist (in a folder made for
    it); a failure leaves nothing there."""
    _new_file(path, data, path)


def _new_file(target: Path, data: bytes, named: Path, unable: str = "") -> None:
    """``data`` in a new owner-only file ``target`` (never an existing one, nor through a
    link), whole or not at all; an error names ``named``, what the user asked for (``unable``
    says why no file could be made, before the system's reason)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    except OSError as error:
        why = f"{unable}({error.strerror})" if unable else error.strerror
        raise OutputPathError(f"cannot write {named}: {why}") from None
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have narrowed it less than asked
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as error:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise OutputPathError(f"cannot write {named}: {error.strerror}") from None
    os.close(fd)


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_private(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path``, readable and writable by its owner only; the earlier file
    there, if any, is replaced whole (or kept, if writing fails)."""
    path = check_target(Path(path))
    temp = _temporary(path, _payload(data))
    try:
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise OutputPathError(f"cannot write {path}: {error.strerror}") from None
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


class FileSet:
    """Files written into one folder as one: each is staged beside its target, then all are
    renamed into place, keeping the files they replace until :meth:`finish`, so that
    :meth:`undo` can put every one back."""

    def __init__(self, folder: Path) -> None:
        made = not os.path.lexists(folder)
        self.folder = private_folder(Path(folder))
        self._made = made
        self._staged: dict[Path, Path] = {}  # target -> its temporary, in the order added
        self._placed: list[tuple[Path, Path | None]] = []  # (target, the file it replaced)
        self._direct: set[str] = set()  # names written in place into the folder it made

    def add(self, name: str, data: str | bytes) -> Path:
        """Stage ``data`` as ``name`` in the folder (a plain file name, made from ids). In a
        folder this set made (empty before it), the file is written in its place at once:
        undoing removes it with the folder, and thousands of letters cost half the work."""
        if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
            raise OutputPathError(f"cannot write {name!r} into {self.folder}: not a file name")
        if self._made and name not in self._direct:
            target = self.folder / name
            _direct(target, _payload(data))
            self._direct.add(name)
            self._placed.append((target, None))
            return target
        target = check_target(self.folder / name)
        earlier = self._staged.pop(target, None)  # the same name again: the later one stands
        if earlier is not None:
            earlier.unlink(missing_ok=True)
        self._staged[target] = _temporary(target, _payload(data))
        return target

    def place(self) -> None:
        """Rename every staged file into place; on any failure, put back what was there."""
        try:
            while self._staged:
                target, temp = next(iter(self._staged.items()))
                kept = None
                if os.path.lexists(target):
                    kept = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
                    try:
                        os.link(target, kept, follow_symlinks=False)
                    except OSError:  # a file system without hard links: move it aside
                        os.replace(target, kept)
                os.replace(temp, target)
                self._placed.append((target, kept))
                del self._staged[target]
        except OSError as error:
            self.undo()
            raise OutputPathError(f"cannot write into {self.folder}: {error.strerror}; "
                                  "nothing was written") from None

    def undo(self) -> None:
        """Every file as it was before: staged files removed, replaced ones back."""
        for target, kept in reversed(self._placed):
            with contextlib.suppress(OSError):
                if kept is not None:
                    os.replace(kept, target)
                else:
                    target.unlink(missing_ok=True)
        for temp in self._staged.values():
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        if self._made:
            with contextlib.suppress(OSError):
                self.folder.rmdir()
        self._placed, self._staged = [], {}

    def finish(self) -> None:
        """The files are in place for good: forget the ones they replaced."""
        for _, kept in self._placed:
            if kept is not None:
                with contextlib.suppress(OSError):
                    kept.unlink()
        self._placed = []


@contextlib.contextmanager
def all_or_none(folder: Path) -> Iterator[FileSet]:
    """A :class:`FileSet` for ``folder``: what is added is placed when the block ends (or
    earlier, by :meth:`FileSet.place`, e.g. inside a transaction that must not commit
    unless the files are there); if the block raises, every file is as it was before."""
    files = FileSet(folder)
    try:
        yield files
        files.place()
    except BaseException:
        files.undo()
        raise
    files.finish()


def readable_by_others(path: Path) -> bool:
    """Whether a group or other users may read ``path`` (a key file should not be)."""
    return bool(Path(path).stat().st_mode & 0o044)
