"""A design: a validated spec resolved into a topology on a switch model with prices.

``resolve_set`` turns specs into designs; a design caches its closed-form counts and count-based
cost. Its report (with the metrics) is assembled above the metrics, in ``topoctl.report``, and kept
in the design's ``cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from topoctl.catalog import DEFAULT_SWITCH_MODEL, Catalog, NicChoice, PriceBook, SwitchModel, active
from topoctl.cost import CostBreakdown, price_counts
from topoctl.errors import SpecError
from topoctl.request import DesignFlags, is_design_set, pick_design, read_design_request
from topoctl.spec import (
    DesignSetSpec,
    DesignSpec,
    SwitchSpec,
    load_yaml,
    parse_design_set,
    spec_label,
    spec_stem,
    validation_error,
)
from topoctl.topologies import FAMILIES, Topology
from topoctl.topologies.base import ELECTRIC, Counts, LinkGroup

ENDPOINT = "endpoint"  # the cable_classes key of the endpoint links
__all__ = ["Design", "resolve", "resolve_set", "switch_model_of", "load_designs", "designs_from_request",
           "designs_from_raw"]


@dataclass(frozen=True)
class Design:
    name: str
    topology: Topology
    switch: SwitchModel
    endpoint_speed_gbps: float
    prices: PriceBook
    cable_classes: dict[str, str] = field(default_factory=dict)  # a link group's (or "endpoint") medium
    nic: NicChoice | None = None  # None: no catalog NIC gives the endpoint's ports
    parts: Catalog = field(default_factory=active, compare=False, repr=False)  # the catalog it was resolved on
    role_switches: dict[str, SwitchModel] = field(default_factory=dict)  # a role's own model, where not ``switch``
    price_overrides: dict[str, float] = field(default_factory=dict)  # the spec's prices, over every price book
    # What layers above compute from the design, kept with it (topoctl.report: its report per analysis
    # options); freed with the design, never compared, and a replace() starts empty.
    cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def counts(self) -> Counts:
        return self.topology.counts()

    @cached_property
    def cost(self) -> CostBreakdown:
        if not self.role_switches:
            return price_counts(self.counts, self.switch.price_usd, self.prices, self.cable_classes)
        return price_counts(self.counts, self.switch.price_usd, self.endpoint_prices, self.cable_classes,
                            role_price_usd=lambda role: self.switch_of(role).price_usd, group_prices=self.link_prices)

    def link_switches(self, group: LinkGroup) -> tuple[SwitchModel, SwitchModel]:
        """The models at a link group's two ends (``switch`` where the family names no ends)."""
        return (self.switch, self.switch) if group.ends is None else (self.switch_of(group.ends[0]),
                                                                      self.switch_of(group.ends[1]))

    def link_prices(self, group: LinkGroup) -> PriceBook:
        """The count-based prices of a link group's cables: its two ends' models' (Catalog.price_book),
        under the spec's prices; the design's ``prices`` where both ends are ``switch``."""
        a, z = self.link_switches(group)
        if a is self.switch and z is self.switch:
            return self.prices
        return self.parts.price_book(a, z).overridden(self.price_overrides)

    @property
    def endpoint_switch(self) -> SwitchModel:
        """The model the endpoints are cabled to: that of the lowest tier's role."""
        roles = self.counts.num_switches_by_role
        return self.switch_of(min(roles, key=self.topology.role_tier)) if roles else self.switch

    @property
    def endpoint_prices(self) -> PriceBook:
        """The count-based prices of the endpoint links (NIC to the endpoint switch's cage)."""
        model = self.endpoint_switch
        return self.prices if model is self.switch else self.parts.price_book(model).overridden(self.price_overrides)

    def switch_of(self, role: str) -> SwitchModel:
        """The model of the switches of ``role``."""
        return self.role_switches.get(role, self.switch)

    @property
    def switches_by_model(self) -> list[tuple[SwitchModel, int]]:
        """Each model the design's switches use, with how many, in the order of their roles."""
        out: dict[SwitchModel, int] = {}
        for role, count in self.counts.num_switches_by_role.items():
            model = self.switch_of(role)
            out[model] = out.get(model, 0) + count
        return list(out.items())

    @property
    def endpoint_cable_class(self) -> str:
        """The medium of the endpoint links (electric unless ``cable_classes`` says ``endpoint: optical``)."""
        return self.cable_classes.get(ENDPOINT, ELECTRIC)

    @property
    def endpoint_bandwidth_gbps(self) -> float:
        return self.endpoint_speed_gbps * self.topology.ports_per_endpoint


def _number(value: float) -> float | int:
    """Whole floats as ints, so a message reads 400 rather than 400.0."""
    return int(value) if float(value).is_integer() else value


def switch_model_of(given: SwitchSpec, endpoint_speed_gbps: float | None = None, path: str = "switch") -> SwitchModel:
    """The model a design's ``switch`` (or a role's) given as ``given`` resolves to, at the design's endpoint
    speed (``_switch_model``): what sizing writes into a spec resolves to this."""
    return _switch_model(endpoint_speed_gbps, active(), given, path)


def _switch_model(endpoint_speed_gbps: float | None, parts: Catalog, given: SwitchSpec,
                  path: str = "switch") -> SwitchModel:
    """The catalog model and breakout ``given`` names (a spec's switch or a role's); a radix alone picks
    the catalog switch with that many ports (the named model's own breakout first, then the cheapest, same
    link layer first), and names it; other overrides, or a radix no catalog switch has, make a custom
    switch from the named model (power scaled by bandwidth, price as given or the model's), saying so."""
    name = given.model or DEFAULT_SWITCH_MODEL
    base = parts.switch_model(name, given.breakout, path=path)
    overrides = {key: value for key, value in given.model_dump(exclude_none=True, exclude={"model", "breakout"}).items()
                 if value != getattr(base, key)}  # a figure equal to the model's changes nothing
    if not overrides:
        return base
    radix = overrides.get("radix", base.radix)
    if set(overrides) == {"radix"} and given.breakout is None:
        speed = endpoint_speed_gbps if endpoint_speed_gbps is not None else base.port_speed_gbps
        picked, others = parts.by_radix(radix, speed, prefer=name, link_layer=base.link_layer)
        if picked is not None:
            if picked.catalog_model == name and picked.breakout == base.breakout:
                return base
            also = f"; also {', '.join(m.summary() for m in others)}" if others else ""
            return replace(picked, selection=f"radix {radix}: {picked.summary()}, the catalog's cheapest{also}")
        valid = ", ".join(str(r) for r in parts.radixes(speed))
        note = (f"radix {radix}: no catalog switch has {radix} ports of {_number(speed)}G or more (catalog radixes: "
                f"{valid}); a custom switch with {name}'s figures")
    else:
        note = f"custom: {name} with {', '.join(sorted(overrides))} overridden"
    speed = overrides.get("port_speed_gbps", base.port_speed_gbps)
    typical_w, max_w = base.scaled_power_w(radix, speed)
    return SwitchModel(
        name=name if given.model else "custom",
        radix=radix,
        port_speed_gbps=speed,
        price_usd=overrides.get("price_usd", base.price_usd),
        description=f"{base.name} with {', '.join(sorted(overrides))} overridden",
        link_layer=base.link_layer,
        rack_units=base.rack_units,
        power_typical_w=typical_w,
        power_max_w=max_w,
        calibrated_prices=base.calibrated_prices,
        vendor=base.vendor,
        product=base.product,
        price_source=base.price_source if "price_usd" not in overrides else "given in the spec",
        power_source=f"{base.name}'s, scaled by bandwidth: {base.power_source}",
        selection=note,
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
    parts = active()
    switch = _switch_model(spec.endpoint_speed_gbps, parts, spec.switch)
    role_switches = _role_switches(spec, parts, switch)
    radix = max([switch.radix, *(model.radix for model in role_switches.values())])
    try:
        topology = family.from_parameters(params, radix, formula_only=spec.formula_only)
    except SpecError as exc:
        raise exc.located(prefix="parameters") from None
    if role_switches or radix != switch.radix:
        _check_role_ports(spec, topology, switch, role_switches)
    groups = [g.name for g in topology.counts().link_groups]
    for name in spec.cable_classes:
        if name not in groups and name != ENDPOINT:
            raise SpecError(
                f"no link group {name!r} in {spec.family}; valid: {', '.join([*groups, ENDPOINT])}",
                path="cable_classes",
            )
    speed = spec.endpoint_speed_gbps if spec.endpoint_speed_gbps is not None else switch.port_speed_gbps
    if speed > switch.port_speed_gbps:
        raise SpecError(
            f"{_number(speed)} Gb/s exceeds the switch port speed {_number(switch.port_speed_gbps)} Gb/s",
            path="endpoint_speed_gbps",
        )
    overrides = spec.prices.model_dump(exclude_none=True)
    prices = parts.price_book(switch).overridden(overrides)
    nic = parts.nic_for(switch.link_layer, topology.ports_per_endpoint, speed, spec.nic)
    return Design(spec.name or spec.family, topology, switch, speed, prices, dict(spec.cable_classes), nic, parts,
                  role_switches, overrides)


def _role_switches(spec: DesignSpec, parts: Catalog, switch: SwitchModel) -> dict[str, SwitchModel]:
    """Each role's own model (``role_switches``), at the switch's port speed and link layer: a cable runs
    at one speed, and one fabric speaks one link layer."""
    out: dict[str, SwitchModel] = {}
    for role, given in spec.role_switches.items():
        where = f"role_switches.{role}"
        model = _switch_model(spec.endpoint_speed_gbps, parts, given, path=where)
        if model.port_speed_gbps != switch.port_speed_gbps:
            raise SpecError(f"{model.summary()} has {_number(model.port_speed_gbps)}G ports, the switch "
                            f"{_number(switch.port_speed_gbps)}G; a cable runs at one speed: give a breakout or "
                            "model at the switch's port speed", path=where)
        if model.link_layer != switch.link_layer:
            raise SpecError(f"{model.summary()} is {model.link_layer}, the switch {switch.link_layer}; one fabric "
                            "takes one link layer", path=where)
        named = next((other for other in (switch, *out.values()) if other.name == model.name and other != model), None)
        if named is not None:  # exports name a device type (NetBox, IBDM) by the model's name
            raise SpecError(f"{model.summary()} differs from {named.summary()}, another {model.name} of the "
                            "design; one design takes each model name with one set of figures", path=where)
        out[role] = model
    return out


def _check_role_ports(spec: DesignSpec, topology: Topology, switch: SwitchModel,
                      role_switches: dict[str, SwitchModel]) -> None:
    """Every role named is one of the design's, and each role's busiest switch cables no more ports than its
    model has (Topology.ports_by_role; a family that states none takes one model)."""
    roles = list(topology.counts().num_switches_by_role)
    for role in role_switches:
        if role not in roles:
            raise SpecError(f"no switch role {role!r} in {spec.family}; valid: {', '.join(roles)}",
                            path=f"role_switches.{role}")
    ports = topology.ports_by_role()
    if ports is None:
        raise SpecError(f"{spec.family} takes one switch model for all its switches; leave role_switches out",
                        path="role_switches")
    for role in roles:
        model = role_switches.get(role, switch)
        if ports[role] > model.radix:
            where = f"role_switches.{role}" if role in role_switches else "switch"
            raise SpecError(f"the busiest {role} switch cables {ports[role]} ports, more than the {model.radix} of "
                            f"{model.name}; give {role} a model of at least {ports[role]} ports, or set the "
                            "family's parameters (k, construction) for fewer", path=where)


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
