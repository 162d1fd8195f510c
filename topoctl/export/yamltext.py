"""Fast, deterministic YAML text for streamed lists: one flow mapping or sequence per line.

``yaml.safe_dump`` of a whole plan would need the plan in memory and is slow for a million rows, so
streamed rows are written here; small blocks still go through ``yaml.safe_dump``. Strings that YAML
could read as anything but themselves are written as JSON strings, which YAML reads back unchanged.
"""

from __future__ import annotations

import json
import re
import textwrap
from functools import lru_cache
from typing import Any

import yaml

__all__ = ["scalar", "flow_map", "flow_seq", "block"]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*\Z")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _string(str(value))


@lru_cache(maxsize=1 << 16)  # device, port and key names repeat on every line of a streamed list
def _string(text: str) -> str:
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.lower().startswith((".inf", ".nan")):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_map(data: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {_flow(v)}" for k, v in data.items()) + "}"


def flow_seq(items: Any) -> str:
    return "[" + ", ".join(_flow(v) for v in items) + "]"


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return flow_map(value)
    if isinstance(value, list | tuple):
        return flow_seq(value)
    return scalar(value)


def block(data: Any, indent: int = 0) -> str:
    """``yaml.safe_dump`` in insertion order, indented by ``indent`` spaces."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return textwrap.indent(text, " " * indent) if indent else text
