"""The project's exception hierarchy: every error a user can cause is a TopoctlError; and ``shown``,
how a message quotes a value the user gave."""

from __future__ import annotations

from typing import Any

__all__ = [
    "TopoctlError", "SpecError", "FlagError", "NotConstructibleError", "GraphCheckError", "ResourceLimitError",
    "SizingTimeLimitError", "InfeasibleError", "SizingCheckError", "ExportError", "ExportInterrupted", "shown",
]

SHOWN_MAX_CHARS = 40  # a quoted value longer than this is shortened, so an error stays one short line


class TopoctlError(Exception):
    """Base class: the CLI prints ``Error: <message>`` and exits 1."""


class SpecError(TopoctlError):
    """Invalid input, located by file and field path."""

    def __init__(self, message: str, *, path: str = "", source: str = "") -> None:
        self.message = message
        self.path = path
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = ": ".join(part for part in (self.source, self.path) if part)
        return f"{where}: {self.message}" if where else self.message

    def located(self, *, source: str | None = None, prefix: str = "") -> SpecError:
        """The same error with a file name and a path prefix added."""
        path = ".".join(p for p in (prefix, self.path) if p).replace(".[", "[")
        return SpecError(self.message, path=path, source=source if source is not None else self.source)


class FlagError(TopoctlError):
    """A command-line value that cannot be read, or flags that do not go together; the CLI exits 2, as
    for any usage error. The message starts with the flag it concerns."""

    exit_code = 2

    def __init__(self, message: str, *, flag: str = "") -> None:
        self.message = message
        self.flag = flag
        super().__init__(f"{flag}: {message}" if flag else message)


class NotConstructibleError(TopoctlError):
    """A formula-only design was asked for something that needs its graph."""


class GraphCheckError(TopoctlError):
    """A built graph disagrees with its family's closed forms (a bug, never bad input)."""


class ResourceLimitError(TopoctlError):
    """A job would need more memory or time than the limits allow (refused before it starts)."""


class SizingTimeLimitError(TopoctlError):
    """Sizing did not finish within the time limit; ``what`` it was doing when the limit passed."""

    def __init__(self, message: str, *, what: str = "") -> None:
        self.what = what
        super().__init__(message)


class InfeasibleError(TopoctlError):
    """No design meets the requirement; the message names the constraint and the smallest relaxation."""


class SizingCheckError(TopoctlError):
    """The rebuilt design disagrees with the solver (a bug, never bad input)."""


class ExportError(TopoctlError):
    """An export could not be written (bad target path, unsupported option for the format)."""


class ExportInterrupted(ExportError):
    """A termination signal (SIGTERM, SIGHUP) arrived while an export was being written; the temporary
    was removed and any earlier file is untouched. ``signum`` is the signal's number; ``exit_code`` the
    shell's convention for a process ended by it, 128 + signum (SIGINT's 130 is the same rule)."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.signum = signum
        self.exit_code = 128 + signum


def shown(value: Any) -> str:
    """``repr(value)`` for a message: long strings and huge numbers shortened (``repr`` of an int over
    4,300 digits would raise), and undecodable file-name bytes escaped so the line can be printed."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        digits = int(value.bit_length() * 0.30103) + 1  # log10(2): the digit count or one more
        if abs(value) < 10 ** (digits - 1):
            digits -= 1
        return f"a {'negative ' if value < 0 else ''}{digits:,}-digit number"
    if isinstance(value, str) and len(value) > SHOWN_MAX_CHARS:
        text = repr(value[: SHOWN_MAX_CHARS // 2]) + f"... ({len(value):,} characters)"
    else:
        try:
            text = repr(value)
        except ValueError:  # a huge int inside a container
            text = f"a {type(value).__name__} holding a huge number"
        if len(text) > 2 * SHOWN_MAX_CHARS:
            text = text[:SHOWN_MAX_CHARS] + f"... ({type(value).__name__})"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
