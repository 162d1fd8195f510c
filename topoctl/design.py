"""A design: a validated spec resolved into a topology on a switch model with prices, and its report.

This is the library entry the CLI calls: ``resolve_set`` turns specs into designs, ``Design.report``
gives counts, cost and closed-form metrics without building a graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from topoctl.catalog import DEFAULT_PRICES, DEFAULT_SWITCH_MODEL, SWITCH_MODELS, PriceBook, SwitchModel
from topoctl.cost import CostBreakdown, links_by_class, price_counts
from topoctl.errors import SpecError
from topoctl.request import DesignFlags, is_design_set, pick_design, read_design_request
from topoctl.spec import DesignSetSpec, DesignSpec, load_yaml, parse_design_set, spec_label, spec_stem, validation_error
from topoctl.topologies import FAMILIES, Topology
from topoctl.topologies.base import Bisection, Counts, bisection_demand_ports, bisection_ratio

__all__ = ["Design", "resolve", "resolve_set", "load_designs", "designs_from_request"]


@dataclass(frozen=True)
class Design:
    name: str
    topology: Topology
    switch: SwitchModel
    endpoint_speed_gbps: float
    prices: PriceBook
    cable_classes: dict[str, str] = field(default_factory=dict)

    @cached_property
    def counts(self) -> Counts:
        return self.topology.counts()

    @cached_property
    def cost(self) -> CostBreakdown:
        return price_counts(self.counts, self.switch.price_usd, self.prices, self.cable_classes)

    @property
    def endpoint_bandwidth_gbps(self) -> float:
        return self.endpoint_speed_gbps * self.topology.ports_per_endpoint

    def _proven_bisection(self, bisection: Bisection, demand: int) -> dict[str, Any]:
        """The proven lower bound on the bisection (Gb/s, ratio, method); None where none is known
        without a graph (the slim fly: see topoctl.metrics for the graph-computed interval)."""
        proven = bisection.proven
        if proven is None:
            return {"bisection_lower_bound_gbps": None, "bisection_lower_bound_ratio": None,
                    "bisection_lower_bound_method": None}
        gbps = proven[0] * self.switch.port_speed_gbps
        return {
            "bisection_lower_bound_gbps": _number(round(gbps, 3)),
            "bisection_lower_bound_ratio": round(bisection_ratio(gbps, demand, self.endpoint_speed_gbps), 6),
            "bisection_lower_bound_method": proven[1],
        }

    def report(self, analysis_options: Any = None) -> dict[str, Any]:
        """Everything an architect compares, as plain data (the JSON/YAML output);
        ``analysis_options`` (metrics.analysis.AnalysisOptions) sets the MoE traffic sample."""
        from topoctl.metrics.analysis import AnalysisOptions, summary_lost_ratios, summary_throughput

        topo, counts, cost = self.topology, self.counts, self.cost
        lost_ratios, lost_method = summary_lost_ratios(self)
        n = counts.num_endpoints
        bisection = topo.bisection(self.endpoint_speed_gbps / self.switch.port_speed_gbps)
        bisection_gbps = bisection.links * self.switch.port_speed_gbps
        demand = bisection_demand_ports(counts.num_endpoint_links, topo.num_planes())
        total = cost.total_usd
        return {
            "name": self.name,
            "family": topo.family,
            "variant": topo.variant,
            "parameters": topo.parameters(),
            "constructible": topo.constructible,
            "not_constructible_reason": topo.not_constructible_reason() or None,
            "switch": {
                "model": self.switch.name,
                "radix": self.switch.radix,
                "port_speed_gbps": _number(self.switch.port_speed_gbps),
                "price_usd": _number(self.switch.price_usd),
            },
            "endpoint_speed_gbps": _number(self.endpoint_speed_gbps),
            "ports_per_endpoint": topo.ports_per_endpoint,
            "num_planes": topo.num_planes(),
            "num_endpoints": n,
            "num_switches": counts.num_switches,
            "num_switches_by_role": dict(counts.num_switches_by_role),
            "num_switch_links": counts.num_switch_links,
            "num_switch_links_by_class": links_by_class(counts, self.cable_classes),
            "switch_link_groups": [
                {
                    "link_group": group.name,
                    "count": group.count,
                    "cable_class": self.cable_classes.get(group.name, group.cable_class),
                }
                for group in counts.link_groups
            ],
            "num_endpoint_links": counts.num_endpoint_links,
            "cost_usd": _number(round(total, 2)),
            "cost_per_endpoint_usd": _number(round(total / n, 2)),
            "cost_breakdown_usd": {key: _number(value) for key, value in cost.as_dict().items()},
            "cost_method": "counts x unit prices (no cable lengths)",
            "bisection_bandwidth_gbps": _number(round(bisection_gbps, 3)),
            "bisection_ratio": round(bisection_ratio(bisection_gbps, demand, self.endpoint_speed_gbps), 6),
            "bisection_method": bisection.method,
            "bisection_exact": bisection.exact,
            "bisection_kind": bisection.kind,
            **self._proven_bisection(bisection, demand),
            "diameter_hops": topo.diameter_hops(),
            "fault_domains": [
                {
                    "component": d.component,
                    "count": d.count,
                    "endpoints_disconnected": d.endpoints_disconnected,
                    "endpoints_degraded": d.endpoints_degraded,
                    "bisection_lost_ratio": lost_ratios.get(d.component, 0.0),
                }
                for d in topo.fault_domains()
            ],
            "fault_domains_method": lost_method,
            "throughput": summary_throughput(self, analysis_options or AnalysisOptions()),
        }


def _number(value: float) -> float | int:
    """Whole floats as ints, so output reads 400 rather than 400.0 and stays stable."""
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
            raise SpecError(f"no link group {name!r} in {spec.family}; valid: {', '.join(groups)}", path="cable_classes")
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
    is_set = is_design_set(raw)
    if is_set and not (allow_set or pick is not None):
        raise SpecError(f"holds a set of designs; 'topoctl compare {source}' compares them", source=source)
    spec_set = parse_design_set(raw, source, default_name=spec_stem(spec) if spec else "design")
    return pick_design(resolve_set(spec_set, source, single=not is_set), pick, source)
