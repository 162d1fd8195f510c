"""The export's own errors."""

from __future__ import annotations

from topoctl.errors import TopoctlError

__all__ = ["ExportError", "ExportInterrupted"]


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
