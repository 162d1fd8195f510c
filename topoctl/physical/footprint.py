"""A design's footprint from its counts: power, parts by class, racks and an end-to-end latency estimate.

Everything here is closed form over the design's counts and the catalog, so it is reported for every
design (a million endpoints included) without building a graph:
- power: switches at their typical power, plus the parts (topoctl.physical.parts, count-based), plus
  the NICs (the catalog's cheapest giving each endpoint its ports); total and per endpoint.
- racks: ``rack_plan`` of topoctl.physical.layout with the default layout options (the layout places
  devices exactly so).
- latency: the DeepSeek-V3 paper's Table 5 fit (catalog ``link_layers``): NIC-to-NIC base plus a
  figure per switch traversed, diameter + 1 switches at worst; endpoints without a port in every plane
  add the paper's NVLink figure for forwarding inside the node (NCCL PXN). Cable propagation (about
  5 ns/m) and queueing are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from topoctl.catalog import NicChoice, SwitchModel
from topoctl.physical.layout import LayoutOptions, RackPlan, rack_plan
from topoctl.physical.parts import PartsDesign, PartsFigures, counted_parts
from topoctl.topologies.base import Topology

__all__ = ["Latency", "Footprint", "footprint", "POWER_METHOD"]

POWER_METHOD = "switches at typical power + parts by class + NICs (catalog figures)"


@dataclass(frozen=True)
class Latency:
    """End-to-end latency estimate of a small message, worst case over endpoint pairs (and the mean where
    the family gives mean hops in closed form)."""

    worst_us: float
    same_plane_worst_us: float
    mean_us: float | None
    link_layer: str
    switches_traversed: int
    method: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "worst_case": round(self.worst_us, 3),
            "same_plane_worst_case": round(self.same_plane_worst_us, 3),
            "mean": None if self.mean_us is None else round(self.mean_us, 3),
            "link_layer": self.link_layer,
            "switches_traversed": self.switches_traversed,
            "method": self.method,
        }


@dataclass(frozen=True)
class Footprint:
    """Power, parts, racks and latency of a design (see the module docstring)."""

    num_endpoints: int
    num_switches: int
    switch_power_w: float  # every switch at its model's typical power
    nic: NicChoice | None
    parts: PartsFigures
    racks: RackPlan
    latency: Latency

    @property
    def num_nics(self) -> int:
        return 0 if self.nic is None else self.nic.per_endpoint * self.num_endpoints

    @property
    def nic_power_w(self) -> float:
        return 0.0 if self.nic is None else self.nic.power_w * self.num_endpoints

    @property
    def optics_power_w(self) -> float:
        return self.parts.power_w

    @property
    def power_w(self) -> float:
        return self.switch_power_w + self.optics_power_w + self.nic_power_w

    @property
    def power_per_endpoint_w(self) -> float:
        return self.power_w / self.num_endpoints

    def as_dict(self) -> dict[str, Any]:
        nic = None if self.nic is None else {
            "model": self.nic.entry.name,
            "planes": self.nic.planes,
            "per_endpoint": self.nic.per_endpoint,
            "count": self.num_nics,
            "power_each_w": self.nic.entry.power_w,
        }
        parts = self.parts.as_dict()
        return {
            "power_w": {
                "switches": round(self.switch_power_w, 1),
                "optics": round(self.optics_power_w, 1),
                "nics": round(self.nic_power_w, 1),
                "total": round(self.power_w, 1),
            },
            "power_per_endpoint_w": round(self.power_per_endpoint_w, 2),
            "power_method": POWER_METHOD,
            "nic": nic,
            "optics_by_class": parts["by_class"],
            "num_optical_modules": parts["num_modules"],
            "optics_method": parts["method"],
            "racks": self.racks.as_dict(),
            "latency_us": self.latency.as_dict(),
        }


class FootprintDesign(PartsDesign, Protocol):
    @property
    def topology(self) -> Topology: ...

    @property
    def nic(self) -> NicChoice | None: ...

    @property
    def switches_by_model(self) -> list[tuple[SwitchModel, int]]: ...


def latency(design: FootprintDesign) -> Latency:
    """The Table 5 fit over the design's diameter (see the module docstring)."""
    topo, switch, parts = design.topology, design.switch, design.parts
    layer = parts.latency(switch.link_layer)
    switches = topo.diameter_hops() + 1
    same_plane = layer.endpoint_us + switches * layer.per_switch_us
    forwarding = topo.num_planes() > topo.ports_per_endpoint
    worst = same_plane + (parts.nvlink_forward_us if forwarding else 0.0)
    mean_hops = topo.mean_hops()
    mean = None if mean_hops is None else layer.endpoint_us + (mean_hops + 1) * layer.per_switch_us
    method = (f"{layer.endpoint_us:g} us + {layer.per_switch_us:g} us per switch, fitted on {layer.source}; "
              f"worst case {switches} switches (diameter + 1)")
    if forwarding:
        method += (f"; + {parts.nvlink_forward_us:g} us forwarding between planes in the node "
                   f"({parts.nvlink_forward_source})")
    if mean is not None:
        method += f"; mean over the closed-form mean hops ({mean_hops:.3f})"
    return Latency(worst, same_plane, mean, switch.link_layer, switches, method + "; cable propagation not included")


def footprint(design: FootprintDesign, options: LayoutOptions | None = None) -> Footprint:
    """The design's footprint from its counts (see the module docstring)."""
    counts, topo = design.counts, design.topology
    node = topo.node_size() or 1
    return Footprint(
        num_endpoints=counts.num_endpoints,
        num_switches=counts.num_switches,
        switch_power_w=sum(count * model.power_typical_w for model, count in design.switches_by_model),
        nic=design.nic,
        parts=counted_parts(design),
        racks=rack_plan(counts.num_endpoints, node, design.switches_by_model, options),
        latency=latency(design),
    )
