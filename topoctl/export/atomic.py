"""Write to a temporary file (or directory) beside the target, then rename it into place.

A failed or interrupted export removes its temporary and leaves any earlier file untouched; readers
never see a half-written file, because ``os.replace`` is atomic on one filesystem.

Targets. A file format creates a new file or replaces a regular file; the directory format creates a
new directory or replaces a directory whole. Anything else is an ExportError before anything is
written: a directory given to a file format, a device, FIFO or socket (``-o /dev/null`` must never
replace the system's ``/dev/null``), ``.``, ``..``, ``/`` or the current directory (or one above it)
given to the directory format, a missing parent or a parent that is a file, and a name longer than
the filesystem allows.

Symbolic links as the target are refused, dangling links and loops included, rather than followed or
replaced. Replacing would turn the link into a regular file behind the user's back; following would
write beside the link's final target, possibly in another directory or filesystem, which for root in a
shared directory such as /tmp is the classic symlink attack. The error says to give the target's own
path. Links among the parent directories are followed as usual.

Temporary names are ``.NAME.XXXXXXXX.tmp`` (and ``.NAME.XXXXXXXX.old`` while a directory is swapped),
with NAME shortened when needed so that the temporary fits the filesystem's name limit: any name that
the filesystem accepts can be written.

Signals. SIGINT raises KeyboardInterrupt as usual. SIGTERM and SIGHUP get a handler only while a write
is under way (main thread only; the previous handlers are restored afterwards, and a signal that was
ignored, as under ``nohup``, stays ignored): it raises ExportInterrupted, so the temporary is removed
the same way as for SIGINT, and the CLI prints one line ``Error: PATH: interrupted by SIGTERM; ...``.
Exit status: the exception's ``exit_code``, 128 + the signal's number (143 for SIGTERM, 129 for
SIGHUP), the shell's convention and the rule behind the CLI's 130 for SIGINT, so a caller can tell an
interrupted export from a rejected one (1). While the temporary is being created, renamed into place
or removed, these signals (and SIGINT) are held back: one that arrives then is delivered to the
previous handler once the write has finished or been cleaned up, so a signal after the rename ends the
process with the new file complete in place.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from topoctl.errors import ExportError, ExportInterrupted, shown

__all__ = ["atomic_text", "atomic_bytes", "atomic_directory", "check_target", "TERMINATING_SIGNALS"]

TERMINATING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
DEFAULT_NAME_MAX = 255  # bytes; POSIX filesystems' usual limit, when pathconf cannot tell
RANDOM_CHARS = 8  # tempfile's random part
SHOWN_PATH_CHARS = 1000  # a longer path (up to PATH_MAX, 4,096) is shortened in messages


def _where(path: Path | str) -> str:
    """A path as a message shows it: undecodable bytes escaped, an absurdly long one shortened."""
    text = str(path).encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > SHOWN_PATH_CHARS:
        text = f"{text[:120]}...{text[-60:]} ({len(text):,} characters)"
    return text


def _write_error(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"{_where(path)}: cannot write: {exc.strerror or exc.__class__.__name__}")


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return DEFAULT_NAME_MAX


def _parent(path: Path) -> Path:
    """The existing directory ``path`` goes in, its name checked against the filesystem's limit."""
    parent = path.parent
    try:
        mode = os.stat(parent).st_mode
    except FileNotFoundError:
        raise ExportError(f"{_where(path)}: the directory {_where(parent)} does not exist") from None
    except NotADirectoryError:
        raise ExportError(f"{_where(path)}: {_where(_first_file(parent))} is a file, not a directory") from None
    except OSError as exc:  # a loop of links, a name too long, no permission to look
        raise ExportError(f"{_where(path)}: cannot reach the directory {_where(parent)}: "
                          f"{exc.strerror or exc.__class__.__name__}") from None
    if not stat.S_ISDIR(mode):
        raise ExportError(f"{_where(path)}: {_where(parent)} is a file, not a directory")
    name_bytes, name_max = len(os.fsencode(path.name)), _name_max(parent)
    if name_bytes > name_max:
        raise ExportError(f"{_where(path)}: the name is {name_bytes:,} bytes long; this filesystem allows at most "
                          f"{name_max}: give a shorter name")
    return parent


def _first_file(path: Path) -> Path:
    """The first ancestor of ``path`` (or itself) that exists and is not a directory."""
    for candidate in (*reversed(path.parents), path):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return path


_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"))


def _existing_mode(path: Path) -> int | None:
    """``lstat`` mode of the target (None when there is none); a symbolic link is refused here."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _write_error(path, exc) from None
    if stat.S_ISLNK(mode):
        raise _link_error(path)
    return mode


def _link_error(path: Path) -> ExportError:
    try:
        target = f" to {_where(os.readlink(path))}"
    except OSError:
        target = ""
    try:
        os.stat(path)
        state = ""
    except FileNotFoundError:
        state = ", which does not exist"
    except OSError as exc:
        state = ", which loops" if exc.errno == errno.ELOOP else f", which cannot be read ({exc.strerror})"
    return ExportError(f"{_where(path)}: is a symbolic link{target}{state}; links are not followed: "
                       "give the target's own path, or a new file name")


def _check_file_target(path: Path) -> Path:
    """The parent directory of a file target that may be created or replaced; ExportError otherwise."""
    if path.name in ("", ".", ".."):
        raise ExportError(f"{_where(path)}: is a directory; give a file name")
    parent = _parent(path)
    mode = _existing_mode(path)
    if mode is None or stat.S_ISREG(mode):
        return parent
    if stat.S_ISDIR(mode):
        raise ExportError(f"{_where(path)}: is a directory; give a file name")
    kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
    raise ExportError(
        f"{_where(path)}: is {kind}, not a regular file; give a new file name or a regular file to replace"
    )


def _check_directory_target(path: Path, replaceable: Collection[str] = ()) -> Path:
    """The parent directory of a directory target that may be created or replaced; ExportError otherwise.
    An existing directory is replaced only if it is empty or holds nothing but ``replaceable`` names
    (an earlier export of the same format): `-o ~` must never replace a home directory."""
    if path.name in ("", ".", "..") or _holds_working_directory(path):
        raise ExportError(f"{_where(path)}: this format replaces the whole directory, so it cannot be "
                          "the current directory or one above it; give a new directory name")
    parent = _parent(path)
    mode = _existing_mode(path)
    if mode is not None and not stat.S_ISDIR(mode):
        raise ExportError(f"{_where(path)}: exists and is not a directory; this format writes a directory")
    if mode is not None:
        try:
            foreign = sorted(name for name in os.listdir(path) if name not in replaceable)
        except OSError as exc:
            raise _write_error(path, exc) from None
        if foreign:
            raise ExportError(f"{_where(path)}: holds {len(foreign):,} entr{'y' if len(foreign) == 1 else 'ies'} this "
                              f"export does not write (first: {shown(foreign[0])}); give a new directory name, or "
                              "one holding only an earlier export of this format")
    return parent


def check_target(path: Path | str, *, directory: bool = False, replaceable: Collection[str] = ()) -> None:
    """ExportError now if ``path`` cannot be written (see the module docstring), so a bad target fails
    before a long build; the atomic writers check again, since the target may change meanwhile."""
    if directory:
        _check_directory_target(Path(path), replaceable)
    else:
        _check_file_target(Path(path))


def _holds_working_directory(path: Path) -> bool:
    try:
        cwd, target = Path.cwd().resolve(), path.resolve()
    except (OSError, RuntimeError):
        return False
    return target == cwd or target in cwd.parents


def _prefix(path: Path, parent: Path, suffix: str) -> str:
    """``.NAME.`` for a temporary ``.NAME.XXXXXXXX<suffix>``, NAME cut to fit the filesystem's limit."""
    budget = _name_max(parent) - len(f"..{suffix}") - RANDOM_CHARS
    name = os.fsencode(path.name)
    if len(name) > budget:  # cut on a character boundary
        name = name[:max(budget, 0)].decode(sys.getfilesystemencoding(), "ignore").encode(sys.getfilesystemencoding())
    return f".{os.fsdecode(name)}."


class _SignalGuard:
    """While entered: SIGTERM and SIGHUP (and SIGINT, if it has Python's default handler) raise once the
    guard is armed, and are held back while it is not; held signals go to the previous handlers on exit."""

    def __init__(self, path: Path, what: str) -> None:
        self._path, self._what = path, what
        self._previous: dict[int, Any] = {}
        self._held: list[int] = []
        self._armed = False
        self._fired = False

    def __enter__(self) -> _SignalGuard:
        if threading.current_thread() is not threading.main_thread():
            return self  # signal handlers can only be set from the main thread
        for signum in (signal.SIGINT, *TERMINATING_SIGNALS):
            previous = signal.getsignal(signum)
            if previous is None or previous is signal.SIG_IGN:
                continue  # set outside Python (cannot be restored), or ignored on purpose (nohup)
            if signum == signal.SIGINT and previous is not signal.default_int_handler:
                continue  # someone else's SIGINT handler: left alone
            self._previous[signum] = previous
            signal.signal(signum, self._handle)
        return self

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if not self._armed:
            if not self._fired:
                self._held.append(signum)
            return
        self._armed, self._fired = False, True
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        name = signal.Signals(signum).name
        raise ExportInterrupted(f"{_where(self._path)}: interrupted by {name}; nothing was written, the earlier "
                                f"{self._what}, if any, is untouched", signum)

    def arm(self) -> None:
        """From now on a signal raises; one held back so far raises at once."""
        self._armed = True
        if self._held:
            self._handle(self._held.pop(0), None)

    def disarm(self) -> None:
        self._armed = False

    def __exit__(self, *exc: object) -> None:
        self._armed = False
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        held, self._held = self._held, []
        for signum in dict.fromkeys(held):
            signal.raise_signal(signum)


@contextmanager
def atomic_text(path: Path | str) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only if the block finishes."""
    with _atomic_file(path, binary=False) as handle:
        yield handle


def atomic_bytes(path: Path | str, data: bytes) -> None:
    """``data`` replaces ``path`` whole (an image, a Parquet file), with the targets and signals of atomic_text."""
    with _atomic_file(path, binary=True) as handle:
        handle.write(data)


@contextmanager
def _atomic_file(path: Path | str, *, binary: bool) -> Iterator[Any]:
    """A handle on a temporary file beside ``path`` that replaces it only if the block finishes."""
    path = Path(path)
    parent = _check_file_target(path)
    with _SignalGuard(path, "file") as guard:
        try:
            fd, tmp = tempfile.mkstemp(prefix=_prefix(path, parent, ".tmp"), suffix=".tmp", dir=parent)
        except OSError as exc:
            raise _write_error(path, exc) from None
        try:
            handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        except BaseException:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            raise
        try:
            with handle:
                guard.arm()
                yield handle
                guard.disarm()
            os.chmod(tmp, 0o644)
            _check_file_target(path)  # it may have changed during a long write
            os.replace(tmp, path)
        except BaseException as exc:
            guard.disarm()
            with suppress(OSError):
                Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _write_error(path, exc) from None
            raise


@contextmanager
def atomic_directory(path: Path | str, replaceable: Collection[str] = ()) -> Iterator[Path]:
    """A fresh directory that replaces the directory ``path`` only if the block finishes; an existing
    ``path`` must be empty or hold only ``replaceable`` names."""
    path = Path(path)
    parent = _check_directory_target(path, replaceable)
    with _SignalGuard(path, "directory") as guard:
        try:
            tmp = Path(tempfile.mkdtemp(prefix=_prefix(path, parent, ".tmp"), suffix=".tmp", dir=parent))
        except OSError as exc:
            raise _write_error(path, exc) from None
        old: Path | None = None  # holds the earlier directory, as old/previous, during the swap
        try:
            guard.arm()
            yield tmp
            guard.disarm()
            os.chmod(tmp, 0o755)
            _check_directory_target(path, replaceable)
            if os.path.lexists(path):
                old = Path(tempfile.mkdtemp(prefix=_prefix(path, parent, ".old"), suffix=".old", dir=parent))
                os.replace(path, old / "previous")
                try:
                    os.replace(tmp, path)
                except BaseException:
                    os.replace(old / "previous", path)
                    raise
            else:
                os.replace(tmp, path)
        except BaseException as exc:
            guard.disarm()
            shutil.rmtree(tmp, ignore_errors=True)
            kept = None
            if old is not None:
                with suppress(OSError):
                    old.rmdir()  # empty unless putting the earlier directory back failed: then it is kept
                kept = old / "previous" if os.path.lexists(old) else None
            if isinstance(exc, OSError):
                error = _write_error(path, exc)
                if kept is not None:
                    error = ExportError(f"{error}; the earlier directory is kept at {_where(kept)}")
                raise error from None
            raise
        if old is not None:
            _remove_earlier(path, old)


def _remove_earlier(path: Path, old: Path) -> None:
    """Delete the replaced directory; a failure is reported, since the new one is already in place."""
    problems: list[BaseException] = []
    if sys.version_info >= (3, 12):
        shutil.rmtree(old, onexc=lambda _function, _path, exc: problems.append(exc))
    else:
        shutil.rmtree(old, onerror=lambda _function, _path, info: problems.append(info[1]))
    if problems:
        reason = getattr(problems[0], "strerror", None) or problems[0].__class__.__name__
        raise ExportError(f"{_where(path)}: written, but the earlier directory, moved to {_where(old)}, "
                          f"could not be removed: {reason}")
