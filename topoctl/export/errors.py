"""The export's own errors, and how a message quotes a value the user gave."""

from __future__ import annotations

from typing import Any

from topoctl.errors import TopoctlError

__all__ = ["ExportError", "ExportInterrupted", "shown"]

SHOWN_MAX_CHARS = 40  # a quoted value longer than this is shortened, so an error stays one short line


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
