"""A design: a validated spec resolved into a topology on a switch model with prices.

``resolve_set`` turns specs into designs; a design caches its closed-form counts and count-based
cost. Its report (with the metrics) is assembled above the metrics, in ``topoctl.report``, and kept
in the design's ``cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from topoctl.catalog import DEFAULT_PRICES, DEFAULT_SWITCH_MODEL, SWITCH_MODELS, PriceBook, SwitchModel
from topoctl.cost import CostBreakdown, price_counts
from topoctl.errors import SpecError
from topoctl.request import DesignFlags, is_design_set, pick_design, read_design_request
from topoctl.spec import DesignSetSpec, DesignSpec, load_yaml, parse_design_set, spec_label, spec_stem, validation_error
from topoctl.topologies import FAMILIES, Topology
from topoctl.topologies.base import Counts

__all__ = ["Design", "resolve", "resolve_set", "load_designs", "designs_from_request", "designs_from_raw"]


@dataclass(frozen=True)
class Design:
    name: str
    topology: Topology
    switch: SwitchModel
    endpoint_speed_gbps: float
    prices: PriceBook
    cable_classes: dict[str, str] = field(default_factory=dict)
    # What layers above compute from the design, kept with it (topoctl.report: its report per analysis
    # options); freed with the design, never compared, and a replace() starts empty.
    cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def counts(self) -> Counts:
        return self.topology.counts()

    @cached_property
    def cost(self) -> CostBreakdown:
        return price_counts(self.counts, self.switch.price_usd, self.prices, self.cable_classes)

    @property
    def endpoint_bandwidth_gbps(self) -> float:
        return self.endpoint_speed_gbps * self.topology.ports_per_endpoint


def _number(value: float) -> float | int:
    """Whole floats as ints, so a message reads 400 rather than 400.0."""
    return int(value) if float(value).is_integer() else value


def _switch_model(spec: DesignSpec) -> SwitchModel:
    name = spec.switch.model or DEFAULT_SWITCH_MODEL
    if name not in SWITCH_MODELS:
        raise SpecError(f"unknown switch model {name!r}; valid: {', '.join(SWITCH_MODELS)}", path="switch.model")
    base = SWITCH_MODELS[name]
    overrides = spec.switch.model_dump(exclude_none=True, exclude={"model"})
    if not overrides:
        return base
    return SwitchModel(
        name=name if spec.switch.model else "custom",
        radix=overrides.get("radix", base.radix),
        port_speed_gbps=overrides.get("port_speed_gbps", base.port_speed_gbps),
        price_usd=overrides.get("price_usd", base.price_usd),
        description=f"{base.name} with {', '.join(sorted(overrides))} overridden",
    )


def resolve(spec: DesignSpec) -> Design:
    """A design from one validated spec; SpecError (path relative to the design) if impossible."""
    family = FAMILIES.get(spec.family)
    if family is None:
        raise SpecError(f"unknown family {spec.family!r}; valid: {', '.join(sorted(FAMILIES))}", path="family")
    try:
        params = family.Parameters.model_validate(spec.parameters)
    except ValidationError as exc:
        raise validation_error(exc, family.Parameters, "parameters") from None
    switch = _switch_model(spec)
    try:
        topology = family.from_parameters(params, switch.radix, formula_only=spec.formula_only)
    except SpecError as exc:
        raise exc.located(prefix="parameters") from None
    groups = [g.name for g in topology.counts().link_groups]
    for name in spec.cable_classes:
        if name not in groups:
            raise SpecError(
                f"no link group {name!r} in {spec.family}; valid: {', '.join(groups)}", path="cable_classes"
            )
    speed = spec.endpoint_speed_gbps if spec.endpoint_speed_gbps is not None else switch.port_speed_gbps
    if speed > switch.port_speed_gbps:
        raise SpecError(
            f"{_number(speed)} Gb/s exceeds the switch port speed {_number(switch.port_speed_gbps)} Gb/s",
            path="endpoint_speed_gbps",
        )
    prices = PriceBook(**{**DEFAULT_PRICES.__dict__, **spec.prices.model_dump(exclude_none=True)})
    return Design(spec.name or spec.family, topology, switch, speed, prices, dict(spec.cable_classes))


def resolve_set(spec_set: DesignSetSpec, source: str = "", *, single: bool = False) -> list[Design]:
    """Every design of a set, errors located as ``designs[i].<path>`` in ``source`` (or as the
    design's own fields when the file held a ``single`` design)."""
    designs = []
    for index, spec in enumerate(spec_set.designs):
        try:
            designs.append(resolve(spec))
        except SpecError as exc:
            raise exc.located(source=source, prefix="" if single else f"designs[{index}]") from None
    return designs


def load_designs(path: Path | str, label: str | None = None) -> tuple[DesignSetSpec, list[Design]]:
    """Load, validate and resolve a design or design-set file."""
    path = Path(path)
    source = label or spec_label(path)
    data = load_yaml(path, source)
    spec_set = parse_design_set(data, source, default_name=spec_stem(path))
    single = not (isinstance(data, dict) and "designs" in data)
    return spec_set, resolve_set(spec_set, source, single=single)


def designs_from_request(
    spec: Path | None, flags: DesignFlags, *, allow_set: bool = False, pick: str | None = None
) -> list[Design]:
    """The designs a command line asks for: a spec file (or --family) with the design flags over its
    fields. A file holding a set is accepted with ``allow_set`` or ``pick`` (all its designs, or the one
    named ``pick``)."""
    raw, source = read_design_request(spec, flags, pick=pick)
    return designs_from_raw(raw, source, default_name=spec_stem(spec) if spec else "design", allow_set=allow_set,
                            pick=pick)


def designs_from_raw(raw: Any, source: str, *, default_name: str = "design", allow_set: bool = False,
                     pick: str | None = None) -> list[Design]:
    """The designs of a parsed spec (one design or a set, as designs_from_request takes them), errors
    located in ``source``."""
    is_set = is_design_set(raw)
    if is_set and not (allow_set or pick is not None):
        raise SpecError(f"holds a set of designs; 'topoctl compare {source}' compares them", source=source)
    spec_set = parse_design_set(raw, source, default_name=default_name)
    return pick_design(resolve_set(spec_set, source, single=not is_set), pick, source)
