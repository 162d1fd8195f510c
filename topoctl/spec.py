"""The user's request as validated, frozen models: one design, or a set of designs to compare.

A design spec (YAML)::

    name: MPFT
    family: <name>                    # one of `topoctl families`; specs/ has an example of each
    parameters: {planes: 8, k: 64, tiers: 2}   # the family's own, as its module defines them
    endpoint_speed_gbps: 400          # per endpoint port; default: the switch port speed
    switch: {model: ib-ndr-64x400g}   # a catalog model (topoctl parts), breakout: 2 splits each cage in
                                      # two; or override radix, port_speed_gbps, price_usd
    role_switches: {spine: {model: q3400, breakout: 4}}   # a switch role's own model (fields as switch),
                                      # at the switch's port speed and link layer
    nic: connectx-8                   # a catalog NIC; default: the cheapest giving the endpoint's ports
    prices: {optical_cable_usd: 180, transceiver_usd: 800}
    cable_classes: {leaf-spine: electric, endpoint: optical}   # a link group's (or the endpoints') medium
    formula_only: false               # true allows counts by formula for designs with no graph

A set has ``name``, optional ``description`` and ``defaults`` (endpoint_speed_gbps, switch, role_switches,
nic, prices, cable_classes), and ``designs``: a list of design specs. A design's fields win over the
defaults; switch, prices and cable_classes merge field by field, role_switches role by role and within a
role field by field::

    name: trees
    defaults:
      switch: {model: qm9700}
      role_switches: {core: {model: q3400, breakout: 2}}   # every design whose family has a core role
    designs:
      - {family: <name>, parameters: {tiers: 2}}           # leaf and spine, no core: all qm9700
      - family: <name>
        parameters: {tiers: 3, endpoints: 10000, construction: {...}}
        role_switches: {core: {breakout: 4}}               # core: {model: q3400, breakout: 4}

A role of the defaults applies to each design whose family has that role and takes a model per role (the
others keep ``switch`` for it), so one set's defaults serve 2- and 3-tier trees alike; a role no design of
the set takes is an error at ``defaults.role_switches.<role>`` (a misspelt role), and a role a design
names itself must be one of its family's (``designs[i].role_switches.<role>``). Unknown fields, wrong types
and impossible values raise SpecError naming the file, the field path and what is valid.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, TextIO

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from topoctl.errors import SpecError

__all__ = [
    "SwitchSpec",
    "PriceSpec",
    "DesignSpec",
    "DesignSetSpec",
    "load_yaml",
    "MIN_SPEED_GBPS",
    "MAX_SPEED_GBPS",
    "spec_label",
    "spec_stem",
    "STDIN",
    "parse_yaml",
    "parse_scalar",
    "check_name",
    "load_design_set",
    "parse_design_set",
    "validation_error",
    "builtin_spec_path",
    "DEFAULT_COMPARE_SPEC",
]

DEFAULT_COMPARE_SPEC = "deepseek-v3-table3.yaml"
GENERATED_KEY = "generated"  # the derived section of an exported design YAML, skipped on load
# What one spec read may take: specs are hand-written YAML of a few KiB (an exported design YAML is read
# only down to its layout), and PyYAML parses about 0.2-0.5 MiB/s, so 1 MiB already takes seconds.
MAX_SPEC_BYTES = 1 << 20
MAX_SPEC_LINE_CHARS = 1 << 16


MIN_SPEED_GBPS = 1.0  # below 1 Gb/s no AI fabric runs, and ratios of tiny floats overflow to inf
MAX_SPEED_GBPS = 1e6


def check_name(text: str) -> str:
    """A name is letters, digits, punctuation, symbols and single spaces, without leading or trailing
    space: no control, format, separator or unassigned characters (they break NetBox imports and
    YAML round trips, and cannot be typed back)."""
    if text != text.strip():
        raise ValueError("must not start or end with white space")
    for char in text:
        if char != " " and (not char.isprintable() or unicodedata.category(char) in ("Zs", "Zl", "Zp")):
            code = f"U+{ord(char):04X}"
            raise ValueError(f"holds the character {code}; names take letters, digits, punctuation, symbols and spaces")
    return text


def _check_description(text: str) -> str:
    """Free text: printable characters, spaces, tabs and line breaks."""
    for line in text.replace("\t", " ").split("\n"):
        for char in line:
            if char != " " and not char.isprintable():
                raise ValueError(f"holds the character U+{ord(char):04X}; use printable text")
    return text


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(check_name)]
Role = Annotated[str, Field(min_length=1, max_length=60)]  # a switch role as a family's counts name it


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class SwitchSpec(StrictModel):
    """A catalog model in one of its breakouts (ports per cage), with any of its figures overridden; a
    radix alone picks the catalog model with that many ports (topoctl.design)."""

    model: str | None = None
    breakout: int | None = Field(default=None, ge=1, le=16)
    radix: int | None = Field(default=None, ge=2, le=4096)
    port_speed_gbps: float | None = Field(default=None, ge=MIN_SPEED_GBPS, le=MAX_SPEED_GBPS)
    price_usd: float | None = Field(default=None, ge=0, le=1e9)


class PriceSpec(StrictModel):
    """Overrides of the default cable prices (USD)."""

    endpoint_cable_usd: float | None = Field(default=None, ge=0, le=1e9)
    electric_cable_usd: float | None = Field(default=None, ge=0, le=1e9)
    optical_cable_usd: float | None = Field(default=None, ge=0, le=1e9)
    transceiver_usd: float | None = Field(default=None, ge=0, le=1e9)


class DefaultsSpec(StrictModel):
    endpoint_speed_gbps: float | None = Field(default=None, ge=MIN_SPEED_GBPS, le=MAX_SPEED_GBPS)
    switch: SwitchSpec = SwitchSpec()
    role_switches: dict[Role, SwitchSpec] = {}  # applied to the designs whose family has the role
    nic: str | None = Field(default=None, min_length=1, max_length=60)
    prices: PriceSpec = PriceSpec()
    cable_classes: dict[str, Literal["electric", "optical"]] = {}


class DesignSpec(StrictModel):
    name: Name | None = None
    family: str
    parameters: dict[str, Any] = {}
    endpoint_speed_gbps: float | None = Field(default=None, ge=MIN_SPEED_GBPS, le=MAX_SPEED_GBPS)
    switch: SwitchSpec = SwitchSpec()
    role_switches: dict[Role, SwitchSpec] = {}
    nic: str | None = Field(default=None, min_length=1, max_length=60)
    prices: PriceSpec = PriceSpec()
    cable_classes: dict[str, Literal["electric", "optical"]] = {}
    formula_only: bool = False
    # The roles of role_switches that only the set's defaults give (parse_design_set): they apply where the
    # family has the role, where a role the design names itself must be one of its family's.
    _default_roles: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def default_roles(self) -> frozenset[str]:
        """The roles of ``role_switches`` the set's defaults give and the design does not name."""
        return self._default_roles


class DesignSetSpec(StrictModel):
    name: Name
    description: Annotated[str, Field(max_length=10_000), AfterValidator(_check_description)] = ""
    designs: list[DesignSpec] = Field(min_length=1)


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_error(exc: ValidationError, model: type[BaseModel], prefix: str = "") -> SpecError:
    """The first pydantic error as a SpecError: field path and what would be valid."""
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    key = ""
    if len(loc) >= 2 and loc[-1] == "[key]":  # a mapping's key: named in the message, not as a field
        key, loc = f"key {_short_repr(loc[-2])}: ", loc[:-2]
    if err["type"] == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        valid = ", ".join(owner.model_fields) if owner else ""
        message = f"unknown field {loc[-1]!r}" + (f"; valid: {valid}" if valid else "")
    elif err["type"] == "missing":
        message = "required field is missing"
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
        message = message.removeprefix("value error, ")
        if "input" in err and not isinstance(err["input"], dict | list):
            message += f" (got {_short_repr(err['input'])})"
    return SpecError(key + message, path=_path(((prefix,) if prefix else ()) + loc))


def _short_repr(value: Any, limit: int = 60) -> str:
    """repr of an input echoed in an error, cut so a hostile value cannot flood the message."""
    try:
        text = repr(value)
    except ValueError:  # an int past Python's digit limit
        return "a number too large to print"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (for listing its valid fields)."""
    current: Any = model
    keyed = False  # the part before was a mapping of models (role_switches): this part is its key
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if current is None:
            return None
        keyed = getattr(annotation, "__origin__", None) is dict
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


STDIN = "-"  # a spec path that means standard input


@contextmanager
def _open_spec(path: Path | str) -> Iterator[TextIO]:
    """The spec file, or standard input for ``-`` (left open: it is not ours to close)."""
    if str(path) != STDIN:
        with open(path, encoding="utf-8") as handle:
            yield handle
        return
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        yield sys.stdin
        return
    text = io.TextIOWrapper(buffer, encoding="utf-8")  # UTF-8 whatever the locale, like a file
    try:
        yield text
    finally:
        text.detach()


def spec_label(path: Path | str) -> str:
    """How errors name a spec: its path, or <stdin>."""
    return "<stdin>" if str(path) == STDIN else str(path)


def spec_stem(path: Path | str) -> str:
    """The default design name a spec file gives: its file name without suffix, or stdin."""
    return "stdin" if str(path) == STDIN else Path(path).stem


def read_lines_until(path: Path, source: str, stop: Callable[[str], bool]) -> str:
    """The file's lines before the first one ``stop`` accepts (streamed, so a long tail is never read);
    any read problem becomes a one-line SpecError, and so does a read past MAX_SPEC_BYTES or a line
    longer than MAX_SPEC_LINE_CHARS (``/dev/zero``, a binary or a runaway file), before either is held."""
    lines: list[str] = []
    size = 0
    try:
        with _open_spec(path) as handle:
            for number in itertools.count(1):
                line = handle.readline(MAX_SPEC_LINE_CHARS + 1)
                if not line:
                    break
                if len(line) > MAX_SPEC_LINE_CHARS and not line.endswith("\n"):
                    raise SpecError(
                        f"line {number} is longer than {MAX_SPEC_LINE_CHARS:,} characters; "
                        "a spec file is short lines of YAML",
                        source=source,
                    )
                if stop(line):
                    break
                size += len(line.encode("utf-8"))
                if size > MAX_SPEC_BYTES:
                    raise SpecError(
                        f"over {MAX_SPEC_BYTES >> 20} MiB before the end of the spec; a spec file is a few "
                        "KiB of YAML",
                        source=source,
                    )
                lines.append(line)
    except FileNotFoundError:
        raise SpecError("no such file", source=source) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a spec file", source=source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read: {exc.__class__.__name__}", source=source) from None
    return "".join(lines)


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse a YAML file; any read or syntax problem becomes a one-line SpecError. Of an exported
    design YAML only the spec above its derived section is read: that is the request, and it is small."""
    source = label or str(path)
    return parse_yaml(read_lines_until(path, source, lambda line: line == f"{GENERATED_KEY}:\n"), source)


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader that refuses a key given twice in one mapping (silently, the last would win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # '<<' merges may be overridden by explicit keys, as YAML defines
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: SafeLoader reports it
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {_short_repr(key)} (first at line {first.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


# No spec field is a date: a date-like scalar (a name such as 2026-01-05) stays text, and an impossible
# one (2026-13-45) is not a ValueError inside the parser.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.1 (PyYAML) reads 1e5 as text; people write it as a number, as YAML 1.2 does, and a whole one
# (endpoints: 1e5) is a whole number, so count fields take it
EXPONENT_TAG = "tag:topoctl,2026:exponent"
MAX_EXACT_WHOLE = 2**53  # every whole float up to here is an exact integer


def _construct_exponent(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | float:
    value = loader.construct_yaml_float(node)
    return int(value) if value.is_integer() and abs(value) <= MAX_EXACT_WHOLE else value


_UniqueKeyLoader.add_implicit_resolver(
    EXPONENT_TAG, re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"), list("-+0123456789")
)
_UniqueKeyLoader.add_constructor(EXPONENT_TAG, _construct_exponent)
# ... ahead of YAML 1.1's own float rule, which would read 1.0e+3 as a float
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: sorted(resolvers, key=lambda entry: entry[0] != EXPONENT_TAG)
    for first, resolvers in _UniqueKeyLoader.yaml_implicit_resolvers.items()
}


def parse_scalar(text: str) -> Any:
    """A command-line value read as YAML (``64`` a number, ``[1, 2]`` a list), with duplicate keys refused."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(f"malformed YAML{where}: {exc.problem or exc.context}", source=source) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise SpecError(f"malformed YAML: {exc.__class__.__name__}", source=source) from None


def _merged(defaults: dict[str, Any], design: Any) -> Any:
    """The design's fields over the set's defaults (switch, prices and cable_classes merged field by field,
    role_switches role by role and each role's fields as switch's); a value that is not a mapping wins
    whole, so the design spec's validation names it."""
    if not isinstance(design, dict):
        return design
    out = {**defaults, **design}
    for key in ("switch", "prices", "cable_classes"):
        if isinstance(defaults.get(key), dict) and isinstance(design.get(key), dict):
            out[key] = {**defaults[key], **design[key]}
    roles, own = defaults.get("role_switches"), design.get("role_switches")
    if isinstance(roles, dict) and isinstance(own, dict):
        out["role_switches"] = {**roles, **{role: {**roles[role], **given} if isinstance(given, dict) and role in roles
                                            else given for role, given in own.items()}}
    return out


def _default_roles(defaults: dict[str, Any], design: Any) -> frozenset[str]:
    """The roles of the defaults' role_switches that a (valid) design does not name itself."""
    own = design.get("role_switches", {}) if isinstance(design, dict) else {}
    return frozenset(role for role in defaults.get("role_switches", {}) if not (isinstance(own, dict) and role in own))


def parse_design_set(data: Any, source: str, default_name: str = "designs") -> DesignSetSpec:
    """A design set from parsed YAML: either a set (with ``designs``) or a single design."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise SpecError(f"expected a mapping of fields (a design or a set with 'designs'), got {kind}", source=source)
    if "designs" not in data and GENERATED_KEY in data:
        # A design YAML written by topoctl export: its derived section is output, not request.
        data = {key: value for key, value in data.items() if key != GENERATED_KEY}
    try:
        if "designs" not in data:
            design = DesignSpec.model_validate(data)
            return DesignSetSpec(name=design.name or default_name, designs=[design])
        raw_defaults = data.get("defaults", {})
        try:
            defaults = DefaultsSpec.model_validate(raw_defaults)
        except ValidationError as exc:
            raise validation_error(exc, DefaultsSpec, "defaults").located(source=source) from None
        base = defaults.model_dump(exclude_defaults=True, exclude_none=True)
        designs = data["designs"]
        merged = [_merged(base, d) for d in designs] if isinstance(designs, list) else designs
        rest = {key: value for key, value in data.items() if key != "defaults"}
        spec_set = DesignSetSpec.model_validate({**rest, "designs": merged})
        for spec, design in zip(spec_set.designs, designs, strict=True):
            spec._default_roles = _default_roles(base, design)
        return spec_set
    except ValidationError as exc:
        model = DesignSpec if "designs" not in data else DesignSetSpec
        raise validation_error(exc, model).located(source=source) from None


def load_design_set(path: Path | str) -> DesignSetSpec:
    path = Path(path)
    return parse_design_set(load_yaml(path, spec_label(path)), spec_label(path), default_name=spec_stem(path))


def builtin_spec_path(name: str = DEFAULT_COMPARE_SPEC) -> Path:
    """A spec shipped inside the package (``topoctl/specs`` links to the repository's ``specs/``)."""
    return Path(__file__).parent / "specs" / name
