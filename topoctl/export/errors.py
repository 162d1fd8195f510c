"""The export's own error: a target or option that cannot be written for this design."""

from __future__ import annotations

from topoctl.errors import TopoctlError

__all__ = ["ExportError"]


class ExportError(TopoctlError):
    """An export could not be written (bad target path, unsupported option for the format)."""
