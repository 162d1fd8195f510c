"""Parts of a design by catalog class: cables, transceiver modules, their power and price.

Two methods, named in the output:
- count-based (``counted_parts``): each link group, and the endpoint links, take the cheapest class of
  their medium reaching the catalog's nominal length (``count_based``); the switch-end modules of a
  class are its switch-end links over the ports one module serves (twin-port: 2), rounded up once per
  class. Nothing is built, so a million-endpoint design is reported in microseconds.
- plan-based (``plan_parts``): each planned cable's class by its length (topoctl.physical.layout); the
  switch-end modules counted per switch, rounded up per switch.
NIC-end modules are single-port, one per endpoint link. Copper and AOC classes draw their per-end power
at both ends; a module draws its own power whatever share of its ports is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil
from typing import Any, Protocol

from topoctl.catalog import CableOption, Catalog, SwitchModel
from topoctl.topologies.base import ELECTRIC, Counts

__all__ = ["PartLine", "PartsFigures", "counted_parts", "plan_parts", "COUNTED_METHOD", "PLAN_METHOD"]

COUNTED_METHOD = ("count-based: each link group's medium as the catalog's cheapest class at its nominal length; "
                  "switch-end modules = links / ports per module, rounded up per class")
PLAN_METHOD = "cabling plan: each cable's class by its planned length; switch-end modules rounded up per switch"


@dataclass(frozen=True)
class PartLine:
    """One part class in a design: links of each use, modules (name, count, watts each, USD each), and the
    cable itself (copper or AOC: per link; transceivers: the fibre)."""

    part: str
    kind: str
    medium: str
    endpoint_links: int
    switch_links: int
    modules: tuple[tuple[str, int, float, float], ...]
    cable_power_w: float  # per link (both ends of a copper or AOC cable)
    cable_price_usd: float  # per link (the cable, or a transceiver link's fibre)

    @property
    def links(self) -> int:
        return self.endpoint_links + self.switch_links

    @property
    def num_modules(self) -> int:
        return sum(count for _, count, _, _ in self.modules)

    @property
    def power_w(self) -> float:
        return self.links * self.cable_power_w + sum(count * watts for _, count, watts, _ in self.modules)

    @property
    def price_usd(self) -> float:
        return self.links * self.cable_price_usd + sum(count * usd for _, count, _, usd in self.modules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "medium": self.medium,
            "links": self.links,
            "endpoint_links": self.endpoint_links,
            "switch_links": self.switch_links,
            "modules": {name: count for name, count, _, _ in self.modules},
            "power_w": round(self.power_w, 1),
        }


@dataclass(frozen=True)
class PartsFigures:
    """Every part class a design uses, and how they were counted."""

    lines: tuple[PartLine, ...]
    method: str

    @property
    def power_w(self) -> float:
        return sum(line.power_w for line in self.lines)

    @property
    def num_modules(self) -> int:
        return sum(line.num_modules for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_class": {line.part: line.as_dict() for line in self.lines},
            "num_modules": self.num_modules,
            "power_w": round(self.power_w, 1),
            "method": self.method,
        }


class PartsDesign(Protocol):
    """What the parts figures need of a design (topoctl.design.Design has it)."""

    @property
    def switch(self) -> SwitchModel: ...

    @property
    def parts(self) -> Catalog: ...

    @property
    def counts(self) -> Counts: ...

    @property
    def cable_classes(self) -> dict[str, str]: ...


def _line(option: CableOption, endpoint_links: int, switch_links: int, switch_modules: int) -> PartLine:
    entry = option.entry
    if entry.kind != "transceiver":
        return PartLine(entry.name, entry.kind, option.medium, endpoint_links, switch_links, (), option.power_w,
                        option.price_usd)
    nic_module, switch_module = option.modules[0], option.modules[1]
    modules: list[tuple[str, int, float, float]] = []
    if endpoint_links and nic_module is not None:
        modules.append((nic_module.name, endpoint_links, nic_module.power_w, nic_module.price_usd))
    if switch_modules and switch_module is not None:
        modules.append((switch_module.name, switch_modules, switch_module.power_w, switch_module.price_usd))
    merged: dict[str, tuple[str, int, float, float]] = {}
    for name, count, watts, usd in modules:  # a NIC module may be the switch-end one (unsplit cages)
        old = merged.get(name)
        merged[name] = (name, count + (old[1] if old else 0), watts, usd)
    return PartLine(entry.name, entry.kind, option.medium, endpoint_links, switch_links, tuple(merged.values()), 0.0,
                    entry.fibre_usd or 0.0)


def _options(design: PartsDesign, endpoint: bool) -> list[CableOption]:
    switch = design.switch
    cage = switch.ports_per_cage
    return design.parts.cable_options(switch.port_speed_gbps, switch.link_layer, (1 if endpoint else cage, cage))


def counted_parts(design: PartsDesign) -> PartsFigures:
    """The count-based parts (see the module docstring)."""
    switch, parts = design.switch, design.parts
    nominal = parts.count_based
    cage = switch.ports_per_cage
    links: dict[str, list[int]] = {}  # part -> [endpoint links, switch links]
    options: dict[str, CableOption] = {}

    def add(endpoint: bool, medium: str, count: int) -> None:
        length = nominal.electric_m if medium == ELECTRIC else nominal.optical_m
        ends = (1 if endpoint else cage, cage)
        option = parts.cheapest(switch.port_speed_gbps, switch.link_layer, ends, length, medium)
        options.setdefault(option.name, option)
        links.setdefault(option.name, [0, 0])[0 if endpoint else 1] += count

    counts = design.counts
    add(True, design.cable_classes.get("endpoint", ELECTRIC), counts.num_endpoint_links)
    for group in counts.link_groups:
        add(False, design.cable_classes.get(group.name, group.cable_class), group.count)
    lines = []
    for name, (endpoint_links, switch_links) in links.items():
        option = options[name]
        module = option.modules[1]
        switch_ends = endpoint_links + 2 * switch_links
        switch_modules = ceil(switch_ends / module.ports) if module is not None else 0
        if endpoint_links or switch_links:
            lines.append(_line(option, endpoint_links, switch_links, switch_modules))
    return PartsFigures(tuple(sorted(lines, key=lambda line: line.part)), COUNTED_METHOD)


class Tally(Protocol):
    """What ``plan_parts`` reads of a streamed plan (topoctl.physical.layout.CableTally)."""

    def links_by_part(self) -> dict[tuple[bool, str], int]: ...

    def switch_ends_by_part(self) -> dict[str, list[int]]: ...


def plan_parts(design: PartsDesign, tally: Tally) -> PartsFigures:
    """The plan-based parts (see the module docstring)."""
    links: dict[str, list[int]] = {}
    for (endpoint, part), n in tally.links_by_part().items():
        links.setdefault(part, [0, 0])[0 if endpoint else 1] += n
    by_name = {o.name: o for endpoint in (False, True) for o in _options(design, endpoint)}  # NIC end last
    ends = tally.switch_ends_by_part()
    lines = []
    for name, (endpoint_links, switch_links) in links.items():
        option = by_name[name]
        module = option.modules[1]
        switch_modules = sum(ceil(n / module.ports) for n in ends.get(name, ())) if module is not None else 0
        lines.append(_line(option, endpoint_links, switch_links, switch_modules))
    return PartsFigures(tuple(sorted(lines, key=lambda line: line.part)), PLAN_METHOD)


def module_lines(figures: PartsFigures) -> Iterable[tuple[str, str, int, float, float]]:
    """(part, module name, count, watts each, USD each) of every module, for a bill of materials."""
    for line in figures.lines:
        for name, count, watts, usd in line.modules:
            yield line.part, name, count, watts, usd
