"""The project's exception hierarchy: every error a user can cause is a TopoctlError."""

from __future__ import annotations

__all__ = ["TopoctlError", "SpecError", "FlagError", "NotConstructibleError", "GraphCheckError", "ResourceLimitError",
           "SizingTimeLimitError"]


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
    """Sizing did not finish within the time limit."""
