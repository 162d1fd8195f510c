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
from topoctl.catalog.schema import CableEntry
from topoctl.topologies.base import ELECTRIC, Counts, LinkGroup

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
    def endpoint_switch(self) -> SwitchModel: ...

    def link_switches(self, group: LinkGroup) -> tuple[SwitchModel, SwitchModel]: ...

    @property
    def parts(self) -> Catalog: ...

    @property
    def counts(self) -> Counts: ...

    @property
    def cable_classes(self) -> dict[str, str]: ...


def _line(entry: CableEntry, endpoint_links: int, switch_links: int, modules_by_ports: dict[int, int]) -> PartLine:
    """A part class's line: its links and, for a transceiver class, its modules by the ports they serve (1 at
    a NIC or an unsplit cage), in the order first counted (the NIC end first)."""
    if entry.kind != "transceiver":
        return PartLine(entry.name, entry.kind, entry.medium, endpoint_links, switch_links, (),
                        2 * (entry.power_per_end_w or 0.0), entry.price_usd or 0.0)
    by_ports = {m.ports: m for m in entry.modules or ()}
    modules = tuple((by_ports[ports].name, count, by_ports[ports].power_w, by_ports[ports].price_usd)
                    for ports, count in modules_by_ports.items() if count)
    return PartLine(entry.name, entry.kind, entry.medium, endpoint_links, switch_links, modules, 0.0,
                    entry.fibre_usd or 0.0)


class _Count:
    """Links and module ends of each part class, as ``counted_parts`` and ``plan_parts`` add them."""

    def __init__(self) -> None:
        self.links: dict[str, list[int]] = {}  # part -> [endpoint links, switch links]
        self.entries: dict[str, CableEntry] = {}
        self.nic_ends: dict[str, int] = {}  # part -> NIC-end modules (one a link)

    def link(self, option: CableOption, endpoint: bool, count: int) -> None:
        self.entries.setdefault(option.name, option.entry)
        self.links.setdefault(option.name, [0, 0])[0 if endpoint else 1] += count
        if endpoint:
            self.nic_ends[option.name] = self.nic_ends.get(option.name, 0) + count

    def figures(self, switch_modules: dict[str, dict[int, int]], method: str) -> PartsFigures:
        """The lines, with each class's switch-end modules by the ports one serves (its cage's)."""
        lines = []
        for name, (endpoint_links, switch_links) in self.links.items():
            if not (endpoint_links or switch_links):
                continue
            modules = {1: self.nic_ends.get(name, 0)} if self.nic_ends.get(name) else {}
            for ports, count in switch_modules.get(name, {}).items():
                modules[ports] = modules.get(ports, 0) + count  # a NIC module may be the switch-end one
            lines.append(_line(self.entries[name], endpoint_links, switch_links, modules))
        return PartsFigures(tuple(sorted(lines, key=lambda line: line.part)), method)


def counted_parts(design: PartsDesign) -> PartsFigures:
    """The count-based parts (see the module docstring): every link group at its two ends' cages, the
    endpoint links at the endpoint switch's."""
    switch, parts = design.switch, design.parts
    nominal = parts.count_based
    tally = _Count()
    ends: dict[str, dict[int, int]] = {}  # part -> switch-end link ends by cage ports

    def add(endpoint: bool, medium: str, count: int, a: SwitchModel | None, z: SwitchModel) -> None:
        length = nominal.electric_m if medium == ELECTRIC else nominal.optical_m
        cages = (1 if a is None else a.ports_per_cage, z.ports_per_cage)
        option = parts.cheapest(switch.port_speed_gbps, switch.link_layer, cages, length, medium)
        tally.link(option, endpoint, count)
        if option.entry.kind == "transceiver":
            by_cage = ends.setdefault(option.name, {})
            for cage in cages[0 if a is not None else 1:]:
                by_cage[cage] = by_cage.get(cage, 0) + count

    counts = design.counts
    add(True, design.cable_classes.get("endpoint", ELECTRIC), counts.num_endpoint_links, None,
        design.endpoint_switch)
    for group in counts.link_groups:
        add(False, design.cable_classes.get(group.name, group.cable_class), group.count, *design.link_switches(group))
    modules = {name: {cage: ceil(n / cage) for cage, n in by_cage.items()} for name, by_cage in ends.items()}
    return tally.figures(modules, COUNTED_METHOD)


class Tally(Protocol):
    """What ``plan_parts`` reads of a streamed plan (topoctl.physical.layout.CableTally)."""

    def links_by_part(self) -> dict[tuple[bool, str], int]: ...

    def switch_ends_by_part(self) -> dict[tuple[str, int], list[int]]: ...


def plan_parts(design: PartsDesign, tally: Tally) -> PartsFigures:
    """The plan-based parts (see the module docstring): the switch-end modules rounded up per switch, each
    of its own cage."""
    count = _Count()
    parts = design.parts
    for (endpoint, part), n in sorted(tally.links_by_part().items(), key=lambda item: not item[0][0]):
        entry = parts.cables[part]
        count.entries.setdefault(part, entry)
        count.links.setdefault(part, [0, 0])[0 if endpoint else 1] += n
        if endpoint:
            count.nic_ends[part] = count.nic_ends.get(part, 0) + n
    modules: dict[str, dict[int, int]] = {}
    for (part, cage), per_switch in tally.switch_ends_by_part().items():
        if parts.cables[part].kind == "transceiver":
            by_cage = modules.setdefault(part, {})
            by_cage[cage] = by_cage.get(cage, 0) + sum(ceil(n / cage) for n in per_switch)
    return count.figures(modules, PLAN_METHOD)


def module_lines(figures: PartsFigures) -> Iterable[tuple[str, str, int, float, float]]:
    """(part, module name, count, watts each, USD each) of every module, for a bill of materials."""
    for line in figures.lines:
        for name, count, watts, usd in line.modules:
            yield line.part, name, count, watts, usd
