"""The parts catalog's file format: strict models (unknown fields rejected, units in the names).

A catalog file (``parts.yaml`` shipped here, or a user's ``--catalog FILE``) holds any of the sections
below; a user file's entries replace shipped ones of the same name and add the others. Every price and
power figure carries its source: ``assumption: ...`` or a document with a date (``(2025-11)`` or
``2025-11-27`` somewhere in the text), checked here.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from topoctl.spec import StrictModel, check_name

__all__ = [
    "LINK_LAYERS",
    "CABLE_KINDS",
    "PORT_NAME_STYLES",
    "SwitchEntry",
    "NicEntry",
    "ModuleEntry",
    "CableEntry",
    "LinkLayerEntry",
    "CountBasedEntry",
    "CatalogFile",
]

LINK_LAYERS = ("infiniband", "ethernet")
CABLE_KINDS = ("dac", "acc", "aec", "aoc", "transceiver")
COPPER_KINDS = ("dac", "acc", "aec")
# How a switch names its ports: cage-lane p<cage>/<lane> (p<cage> unsplit); cumulus swp<cage>s<lane-1>
# (swp<cage> unsplit); eos Ethernet<cage>/<first electrical lane>.
PORT_NAME_STYLES = ("cage-lane", "cumulus", "eos")
_DATED = re.compile(r"\b(19|20)\d\d-\d\d\b")


def _sourced(text: str) -> str:
    """A source is an assumption said as one, a calibration, or a document with a year-month date."""
    text = check_name(text)
    if text.startswith(("assumption", "calibrated", "passive copper")) or _DATED.search(text):
        return text
    raise ValueError("must start with 'assumption: ' (saying what it rests on) or name a document with its "
                     "date (YYYY-MM)")


Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(check_name)]
Source = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_sourced)]
Watts = Annotated[float, Field(ge=0, le=100_000)]
Usd = Annotated[float, Field(ge=0, le=1e8)]
Gbps = Annotated[float, Field(gt=0, le=1e5)]
LinkLayer = Literal["infiniband", "ethernet"]


class SwitchEntry(StrictModel):
    """A switch model: ``cages`` of ``cage_gbps`` and ``cage_lanes`` lanes; breakout b runs a cage as b ports."""

    name: Name
    vendor: Text
    product: Text
    asic: Text
    link_layer: LinkLayer
    cages: int = Field(ge=1, le=4096)
    cage_form_factor: Text
    cage_gbps: Gbps
    cage_lanes: int = Field(ge=1, le=16)
    breakouts: list[int] = Field(min_length=1, max_length=8)
    port_names: Literal["cage-lane", "cumulus", "eos"]
    rack_units: int = Field(ge=1, le=48)
    power_typical_w: Watts
    power_max_w: Watts
    power_source: Source
    price_usd: Usd
    price_source: Source
    calibrated_prices: bool = False
    description: Text

    @model_validator(mode="after")
    def _arithmetic(self) -> SwitchEntry:
        if len(set(self.breakouts)) != len(self.breakouts):
            raise ValueError(f"breakouts: {self.breakouts} lists a split twice")
        for b in self.breakouts:
            if b < 1 or self.cage_lanes % b:
                raise ValueError(f"breakouts: {b} does not divide the cage's {self.cage_lanes} lanes")
        if self.power_max_w < self.power_typical_w:
            raise ValueError("power_max_w is below power_typical_w")
        return self


class NicEntry(StrictModel):
    """A NIC: one cage of ``port_gbps``, run as any of ``planes`` ports (ConnectX-8: 1 x 800G, 2 x 400G, 4 x 200G)."""

    name: Name
    vendor: Text
    product: Text
    link_layers: list[LinkLayer] = Field(min_length=1, max_length=2)
    port_gbps: Gbps
    planes: list[int] = Field(min_length=1, max_length=4)
    power_w: Watts
    power_source: Source
    price_usd: Usd
    price_source: Source

    @model_validator(mode="after")
    def _arithmetic(self) -> NicEntry:
        for p in self.planes:
            if p < 1 or (self.port_gbps / p) != int(self.port_gbps / p):
                raise ValueError(f"planes: {p} does not split {self.port_gbps:g} Gb/s into whole Gb/s")
        return self


class ModuleEntry(StrictModel):
    """A pluggable transceiver serving ``ports`` links of one cage (2: twin-port, 4: with splitter fibres)."""

    ports: int = Field(ge=1, le=8)
    name: Text
    power_w: Watts
    price_usd: Usd


class CableEntry(StrictModel):
    """A cable or optics class for links of ``link_gbps`` up to ``reach_m``: copper and AOC priced per link
    with power per end; transceivers as a module per end plus the fibre."""

    name: Name
    kind: Literal["dac", "acc", "aec", "aoc", "transceiver"]
    link_gbps: Gbps
    reach_m: float = Field(gt=0, le=100_000)
    link_layers: list[LinkLayer] = Field(min_length=1, max_length=2)
    power_per_end_w: Watts | None = None
    price_usd: Usd | None = None
    modules: list[ModuleEntry] | None = None
    fibre_usd: Usd | None = None
    price_source: Source
    power_source: Source

    @model_validator(mode="after")
    def _shape(self) -> CableEntry:
        if self.kind == "transceiver":
            if self.modules is None or self.fibre_usd is None:
                raise ValueError("a transceiver class needs modules and fibre_usd")
            if self.power_per_end_w is not None or self.price_usd is not None:
                raise ValueError("a transceiver class prices its modules, not power_per_end_w or price_usd")
            ports = [m.ports for m in self.modules]
            if 1 not in ports:
                raise ValueError("a transceiver class needs a single-port module (ports: 1) for NIC ends")
            if len(set(ports)) != len(ports):
                raise ValueError("modules: two modules serve the same number of ports")
        else:
            if self.price_usd is None or self.power_per_end_w is None:
                raise ValueError(f"a {self.kind} class needs price_usd and power_per_end_w")
            if self.modules is not None or self.fibre_usd is not None:
                raise ValueError(f"a {self.kind} class has no modules or fibre_usd")
        return self

    @property
    def medium(self) -> str:
        """``electric`` for copper, ``optical`` for AOC and transceivers (the classes of topologies.base)."""
        return "electric" if self.kind in COPPER_KINDS else "optical"


class LinkLayerEntry(StrictModel):
    """Latency of one link layer: NIC-to-NIC base plus a figure per switch traversed."""

    endpoint_us: float = Field(ge=0, le=1000)
    per_switch_us: float = Field(ge=0, le=1000)
    source: Source


class CountBasedEntry(StrictModel):
    electric_m: float = Field(gt=0, le=10_000)
    optical_m: float = Field(gt=0, le=100_000)


class CatalogFile(StrictModel):
    """One catalog file; every section optional (a user file holds what it adds or replaces)."""

    link_layers: dict[LinkLayer, LinkLayerEntry] = {}
    nvlink_forward_us: float | None = Field(default=None, ge=0, le=1000)
    nvlink_forward_source: Source | None = None
    count_based: CountBasedEntry | None = None
    switches: list[SwitchEntry] = []
    nics: list[NicEntry] = []
    cables: list[CableEntry] = []

    @model_validator(mode="after")
    def _unique(self) -> CatalogFile:
        for section in ("switches", "nics", "cables"):
            names = [entry.name for entry in getattr(self, section)]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"{section}: {', '.join(repeated)} given twice")
        return self
