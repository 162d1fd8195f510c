"""The user's request as the command line gives it: the design and sizing flags, the design flags laid
over a spec, a design picked from a set by name, and the values flags carry (``NAME=VALUE``, failure
rates) read. The sizing flags become a requirement in topoctl.requirement.requirement_from_flags.

The design flags override a single design's fields: ``--family``, ``--name``, ``--nic`` and
``--formula-only`` the fields of the same name, ``--switch`` (a catalog model), ``--breakout`` and
``--radix`` the switch's (a radix alone picks the catalog switch with that many ports), ``--endpoints``,
``--planes``, ``--tiers`` and every ``--param NAME=VALUE`` the family parameters. A file holding a set
of designs is left as it is; its designs are picked by name once resolved. A value the command line
cannot give raises FlagError (the CLI exits 2, as for any usage error); what the spec model refuses
raises SpecError.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from topoctl.errors import FlagError, SpecError
from topoctl.spec import load_yaml, parse_scalar, spec_label

__all__ = [
    "COMMAND_LINE",
    "DesignFlags",
    "SizingFlags",
    "parse_assignment",
    "parse_assignments",
    "parse_rate",
    "read_design_request",
    "is_design_set",
    "wants_sizing",
    "pick_design",
]

COMMAND_LINE = "command line"  # how errors name a request made of flags alone
MAX_VALUE_CHARS = 1000  # a NAME=VALUE value; YAML of that size parses in well under a millisecond


@dataclass(frozen=True)
class DesignFlags:
    """The design flags of one command line; None (or empty) means not given."""

    family: str | None = None
    endpoints: int | None = None
    radix: int | None = None
    switch: str | None = None  # a catalog switch model
    breakout: int | None = None  # ports per cage of that model
    nic: str | None = None  # a catalog NIC
    planes: int | None = None
    tiers: int | None = None
    params: Sequence[str] = ()  # NAME=VALUE texts of --param
    name: str | None = None
    formula_only: bool = False


@dataclass(frozen=True)
class SizingFlags:
    """The sizing flags of one command line, named as the requirement's fields (None: not given), and
    the requirement file they override (``-`` reads standard input); see topoctl.requirement."""

    requirement: Path | None = None
    endpoints: int | None = None
    radix: int | None = None
    max_tiers: int | None = None
    max_planes: int | None = None
    max_ports_per_endpoint: int | None = None
    min_bisection_ratio: float | None = None
    max_hops: int | None = None
    max_blast_radius: int | None = None
    spare_ports_percent: float | None = None
    max_cost_usd: float | None = None
    max_power_kw: float | None = None
    objective: str | None = None
    switch: str | None = None  # the catalog model to size with (its breakouts all allowed)


# The sizing flags that only constrain a sizing (the others also name a design), with their flags.
SIZING_CONSTRAINT_FLAGS = {
    "max_tiers": "--max-tiers", "max_planes": "--max-planes", "max_ports_per_endpoint": "--max-ports-per-endpoint",
    "min_bisection_ratio": "--min-bisection-ratio", "max_hops": "--max-hops", "max_blast_radius": "--max-blast-radius",
    "spare_ports_percent": "--spare-ports", "max_cost_usd": "--max-cost-usd", "max_power_kw": "--max-power-kw",
    "objective": "--objective",
}


def given_constraints(flags: SizingFlags) -> list[str]:
    """The sizing-only flags a command line gives, as typed (--max-planes), in the order of --help."""
    return [flag for field, flag in SIZING_CONSTRAINT_FLAGS.items() if getattr(flags, field) is not None]


def parse_assignment(text: str, flag: str = "--param") -> tuple[str, Any]:
    """NAME=VALUE with VALUE read as YAML (so k=64 is a number); text YAML cannot read stays text."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise FlagError(f"{text[:80]!r} is not NAME=VALUE", flag=flag)
    if len(value) > MAX_VALUE_CHARS:
        raise FlagError(f"{name}: value of {len(value):,} characters; at most {MAX_VALUE_CHARS:,}", flag=flag)
    try:
        return name, parse_scalar(value)
    except yaml.YAMLError:
        return name, value
    except (ValueError, OverflowError):  # an integer past Python's 4,300-digit conversion limit
        raise FlagError(f"{name}: {value[:20]}... is too large a number", flag=flag) from None
    except RecursionError:
        raise FlagError(f"{name}: value nested too deeply", flag=flag) from None


def parse_assignments(texts: Sequence[str], flag: str = "--param") -> dict[str, Any]:
    """Every NAME=VALUE of a repeatable flag; a later NAME wins."""
    return dict(parse_assignment(text, flag) for text in texts)


def parse_rate(text: str | None, flag: str) -> float:
    """A failure rate as a probability in [0, 1]: a percentage ('1%', '0.5%') or a fraction below 1
    ('0.01'); 0 when not given. A bare 1 or more is refused: '1' could mean 1% or 100%."""
    if text is None:
        return 0.0
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        number = float(raw[:-1] if percent else raw)
    except ValueError:
        raise FlagError(f"{text[:40]!r} is not a rate; use a percentage (1%) or a fraction below 1 (0.01)",
                        flag=flag) from None
    if not math.isfinite(number) or number < 0 or (percent and number > 100):
        raise FlagError(f"{text[:40]!r} is outside 0%..100%", flag=flag)
    if not percent and number >= 1:
        hint = "100%" if number == 1 else "a percentage such as 1%"
        raise FlagError(f"{text[:40]!r} is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write {hint}",
                        flag=flag)
    return number / 100 if percent else number


def is_design_set(raw: Any) -> bool:
    return isinstance(raw, dict) and "designs" in raw


def read_design_request(
    spec: Path | None, flags: DesignFlags, load: Callable[[Path, str], Any] = load_yaml, *, pick: str | None = None
) -> tuple[Any, str]:
    """The parsed spec (``load``-ed from the file, ``-`` for standard input, or made from --family) with the
    flags laid over a single design's fields (in a set: over the design named ``pick``, which the set
    must name explicitly; without ``pick`` the flags are refused rather than ignored), and the label
    errors name it by."""
    overrides = parse_assignments(flags.params)
    for key, value in (("endpoints", flags.endpoints), ("planes", flags.planes), ("tiers", flags.tiers)):
        if value is not None:
            overrides[key] = value
    if spec is None:
        if flags.family is None:
            raise FlagError("give a SPEC file or --family", flag="SPEC")
        raw: Any = {"family": flags.family}
        source = COMMAND_LINE
    else:
        source = spec_label(spec)
        raw = load(spec, source)
    given = bool(overrides) or flags.family is not None or flags.radix is not None or flags.name is not None \
        or flags.formula_only or flags.switch is not None or flags.breakout is not None or flags.nic is not None
    if not given or not isinstance(raw, dict):
        return raw, source
    if not is_design_set(raw):
        return _with_flags(raw, flags, overrides), source
    designs = raw["designs"] if isinstance(raw["designs"], list) else []
    at = [i for i, d in enumerate(designs) if isinstance(d, dict) and pick is not None and d.get("name") == pick]
    if not at:
        what = "pick one with --design NAME" if pick is None else f"the set names no design {pick!r}"
        raise FlagError(f"the design flags change one design, and {source} holds a set: {what}", flag="--design")
    designs = list(designs)
    designs[at[0]] = _with_flags(designs[at[0]], flags, overrides)
    return {**raw, "designs": designs}, source


def _with_flags(raw: dict[str, Any], flags: DesignFlags, overrides: dict[str, Any]) -> dict[str, Any]:
    """One design's fields with the flags laid over them."""
    raw = dict(raw)
    if flags.family is not None:
        raw["family"] = flags.family
    if overrides:
        given = raw.get("parameters")
        base = given if isinstance(given, dict) else {}
        raw["parameters"] = {**base, **overrides}
    if flags.switch is not None or flags.breakout is not None or flags.radix is not None:
        given = raw.get("switch")
        switch = dict(given) if isinstance(given, dict) else {}
        if flags.switch is not None:  # another model: the old one's figures and split no longer apply
            switch = {key: value for key, value in switch.items() if key not in ("radix", "breakout")}
            switch["model"] = flags.switch
        if flags.breakout is not None:
            switch["breakout"] = flags.breakout
        if flags.radix is not None:
            switch["radix"] = flags.radix
        raw["switch"] = switch
    if flags.nic is not None:
        raw["nic"] = flags.nic
    if flags.name is not None:
        raw["name"] = flags.name
    if flags.formula_only:
        raw["formula_only"] = True
    return raw


def wants_sizing(spec: Path | None, family: str | None, endpoints: int | None, requirement: Path | None,
                 constraints: Sequence[str] = ()) -> bool:
    """Whether a command line asks for sizing: a requirement file, or --endpoints with neither a spec nor
    --family (with either, --endpoints is the design's parameter). A requirement, or a flag that only
    constrains sizing (``constraints``: the flags given, as --max-planes), beside a design is refused: one
    command sizes or evaluates, not both, and a constraint it would not apply must not pass unnoticed."""
    given = spec is not None or family is not None
    if requirement is not None and given:
        raise FlagError("give a requirement to size, or a SPEC/--family to evaluate, not both", flag="--requirement")
    if constraints and given:
        raise FlagError("constrains sizing, which SPEC or --family replaces with a given design; drop it, or drop "
                        "SPEC/--family to size", flag=constraints[0])
    return requirement is not None or (not given and endpoints is not None)


def pick_design(designs: Sequence[Any], name: str | None, source: str) -> list[Any]:
    """All the designs (anything with a ``name``), or the one called ``name``; SpecError listing the
    names if none is."""
    if name is None:
        return list(designs)
    chosen = [d for d in designs if d.name == name]
    if not chosen:
        valid = ", ".join(d.name for d in designs)
        raise SpecError(f"no design named {name!r}; valid: {valid}", source=source, path="--design")
    return chosen
