"""A design spec file: one design's spec fields as YAML, under a comment header, written atomically.

``topoctl size --save`` writes the sized design this way; every command that takes a SPEC loads it and
resolves it to the same design. Same fields and header, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from topoctl.export.atomic import atomic_text
from topoctl.export.yamltext import block

__all__ = ["write_spec"]


def _comment(line: str) -> str:
    """One comment line; control characters (a path may hold a newline) shown escaped."""
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in line)
    return f"# {shown}".rstrip() + "\n"


def write_spec(fields: dict[str, Any], out: Path, header: Sequence[str] = ()) -> None:
    """Write ``fields`` (a DesignSpec dumped in JSON mode) to ``out``, each ``header`` line a comment."""
    text = "".join(_comment(line) for line in header) + block(fields)
    with atomic_text(out) as handle:
        handle.write(text)
