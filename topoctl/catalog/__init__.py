"""The parts catalog: switch models, NICs, cable and optics classes (``parts.yaml``, user files over it),
and the price preset that reproduces the DeepSeek-V3 paper's Table 3.

The calibrated preset (switch model ``ib-ndr-64x400g``, ``DEFAULT_PRICES``) is calibrated, not quoted:
the paper (arXiv 2505.09343, Table 3) prints costs "derived from the methodology in the Slim Fly paper"
but no unit prices. A least-squares fit of its five cost-per-endpoint cells, with endpoint cables as
short in-rack DACs, switch-to-switch copper (the edge-aggregation and intra-group link groups) as
electric and every other switch-to-switch cable as optical, gives about $49k per 64-port 400G switch,
$1.6k per electric and $1.78k per optical link; rounded to the values below, every cost and
cost-per-endpoint cell of the table is within 0.5% (tests/test_table3.py). The Slim Fly group's 2014
cost functions (Besta & Hoefler, SC 2014, Section 5) are far below these and do not reproduce the
table, so they are not the default. The preset's hardware (ports, power, rack units, latency) is the
QM9700's, so its designs get power, optics and latency figures like any other.

Every other switch model is priced from the catalog: its list price, and cables priced by the part
class a link takes (``Catalog.price_book``). Which class: the cheapest that reaches the link's length
among those of the link's speed and link layer whose modules fit both ends (a switch cage split b
ways takes a module serving b links: twin-port 2 x 400G OSFP for b = 2; a NIC takes a single-port
module). Count-based figures take a link group's medium at a nominal length (``count_based`` in the
catalog); the rack layout takes each cable's planned length.

User files (``--catalog FILE``, repeatable) replace shipped entries of the same name and add new ones;
``use_files`` makes them the active catalog for one command (``restored`` ends that).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from math import ceil
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from topoctl.catalog.schema import (
    CableEntry,
    CatalogFile,
    CountBasedEntry,
    LinkLayerEntry,
    ModuleEntry,
    NicEntry,
    SwitchEntry,
)
from topoctl.errors import SpecError
from topoctl.spec import load_yaml, validation_error
from topoctl.topologies.base import ELECTRIC, OPTICAL

__all__ = [
    "SwitchModel",
    "PriceBook",
    "DEFAULT_SWITCH_MODEL",
    "DEFAULT_PRICES",
    "CABLE_CLASSES",
    "CATALOG_FILE",
    "Catalog",
    "CableOption",
    "NicChoice",
    "load_catalog",
    "active",
    "use_files",
    "restored",
]

CATALOG_FILE = Path(__file__).parent / "parts.yaml"
DEFAULT_SWITCH_MODEL = "ib-ndr-64x400g"
CABLE_CLASSES = {
    ELECTRIC: "switch-to-switch copper (DAC or active copper), no transceivers",
    OPTICAL: "switch-to-switch fibre with a transceiver at each end",
}


@dataclass(frozen=True)
class PriceBook:
    """Cable prices in USD. Endpoint cables are in-rack DACs unless a spec makes them optical; an optical
    link costs its fibre plus two transceivers. ``endpoint_optical_usd`` (None: the optical link price)
    is an optical endpoint link's price where its NIC-end module differs from a switch-end one."""

    endpoint_cable_usd: float = 300.0
    electric_cable_usd: float = 1_600.0
    optical_cable_usd: float = 180.0
    transceiver_usd: float = 800.0
    endpoint_optical_usd: float | None = None

    @property
    def optical_link_usd(self) -> float:
        return self.optical_cable_usd + 2 * self.transceiver_usd

    def endpoint_link_usd(self, cable_class: str) -> float:
        """One endpoint link in ``cable_class`` (electric: the endpoint DAC)."""
        if cable_class == ELECTRIC:
            return self.endpoint_cable_usd
        return self.optical_link_usd if self.endpoint_optical_usd is None else self.endpoint_optical_usd

    def overridden(self, overrides: dict[str, float]) -> PriceBook:
        return replace(self, **overrides) if overrides else self


DEFAULT_PRICES = PriceBook()


@dataclass(frozen=True)
class SwitchModel:
    """A switch as a design uses it: a catalog model in one breakout (or a custom switch), with what the
    reports need (power, rack units, link layer) and how its ports are named.

    Ports 1..radix sit ``ports_per_cage`` to a cage: port n is lane ``(n - 1) % ports_per_cage + 1`` of
    cage ``(n - 1) // ports_per_cage + 1``; ``port_name`` writes that in the model's style."""

    name: str
    radix: int
    port_speed_gbps: float
    price_usd: float
    description: str = ""
    catalog_model: str | None = None  # the catalog entry; None for a custom switch
    breakout: int = 1
    ports_per_cage: int = 1
    cage_lanes: int = 1
    link_layer: str = "infiniband"
    port_names: str = "cage-lane"
    rack_units: int = 1
    power_typical_w: float = 0.0
    power_max_w: float = 0.0
    calibrated_prices: bool = True
    vendor: str = ""
    product: str = ""
    price_source: str = ""
    power_source: str = ""
    selection: str = ""  # how the model was chosen, when a flag chose it (--radix)

    @property
    def cages(self) -> int:
        return self.radix // self.ports_per_cage

    def port_name(self, number: int) -> str:
        """The installer's name of port ``number`` (1-based): ``p3/2``, ``swp3s1`` or ``Ethernet3/5``."""
        cage, lane = divmod(number - 1, self.ports_per_cage)
        cage, lane = cage + 1, lane + 1
        split = self.ports_per_cage > 1
        if self.port_names == "cumulus":
            return f"swp{cage}s{lane - 1}" if split else f"swp{cage}"
        if self.port_names == "eos":
            return f"Ethernet{cage}/{(lane - 1) * (self.cage_lanes // self.ports_per_cage) + 1}"
        return f"p{cage}/{lane}" if split else f"p{cage}"

    def port_number(self, name: str) -> int:
        """The port number of a name ``port_name`` gives; KeyError for any other."""
        return _port_numbers(self.port_names, self.ports_per_cage, self.cage_lanes, self.radix)[name]

    def scaled_power_w(self, radix: int, port_speed_gbps: float) -> tuple[float, float]:
        """(typical, maximum) power of a custom switch with this model's figures on ``radix`` ports of
        ``port_speed_gbps``: scaled by bandwidth, in whole milliwatts (sizing counts power in integer
        milliwatts, so a design's power and its sizing's agree to the milliwatt)."""
        scale = radix * port_speed_gbps / (self.radix * self.port_speed_gbps)
        return round(self.power_typical_w * scale, 3), round(self.power_max_w * scale, 3)

    def summary(self) -> str:
        """``sn5600 (128 x 400G, 64 cages split 2)``."""
        speed = f"{self.port_speed_gbps:g}"
        cages = f", {self.cages} cages split {self.ports_per_cage}" if self.ports_per_cage > 1 else ""
        return f"{self.name} ({self.radix} x {speed}G{cages})"


@functools.lru_cache(maxsize=64)
def _port_numbers(style: str, per_cage: int, lanes: int, radix: int) -> dict[str, int]:
    probe = SwitchModel("", radix, 1.0, 0.0, ports_per_cage=per_cage, cage_lanes=lanes, port_names=style)
    return {probe.port_name(n): n for n in range(1, radix + 1)}


@dataclass(frozen=True)
class CableOption:
    """A part class for one link: its catalog entry, the module at each end (transceivers), and the
    link's price and power (modules shared by a cage counted by their share)."""

    entry: CableEntry
    modules: tuple[ModuleEntry | None, ModuleEntry | None]
    price_usd: float
    power_w: float

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def medium(self) -> str:
        return self.entry.medium


@dataclass(frozen=True)
class NicChoice:
    """The NIC an endpoint takes: ``per_endpoint`` NICs of ``entry``, each run as ``planes`` ports."""

    entry: NicEntry
    planes: int
    per_endpoint: int

    @property
    def power_w(self) -> float:
        return self.per_endpoint * self.entry.power_w


@dataclass(frozen=True, eq=False)
class Catalog:
    """The merged catalog (shipped file, then user files in order)."""

    switches: dict[str, SwitchEntry]
    nics: dict[str, NicEntry]
    cables: dict[str, CableEntry]
    link_layers: dict[str, LinkLayerEntry]
    nvlink_forward_us: float
    nvlink_forward_source: str
    count_based: CountBasedEntry
    files: tuple[str, ...]
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    # -- switches ----------------------------------------------------------------------------------------
    def switch_model(self, name: str, breakout: int | None = None, *, path: str = "switch") -> SwitchModel:
        """Catalog model ``name`` in ``breakout`` (default: its first, as sold); SpecError at ``path``."""
        entry = self.switches.get(name)
        if entry is None:
            raise SpecError(f"unknown switch model {name!r}; valid: {', '.join(self.switches)}", path=f"{path}.model")
        if breakout is None:
            breakout = entry.breakouts[0]
        elif breakout not in entry.breakouts:
            valid = ", ".join(f"{b} ({entry.cages * b} x {entry.cage_gbps / b:g}G)" for b in entry.breakouts)
            raise SpecError(f"{name} has no breakout {breakout}; valid: {valid}", path=f"{path}.breakout")
        return _model(entry, breakout)

    def switch_options(self) -> list[SwitchModel]:
        """Every catalog model in every breakout, in catalog order."""
        return [_model(entry, b) for entry in self.switches.values() for b in entry.breakouts]

    def by_radix(self, radix: int, min_gbps: float, prefer: str | None = None,
                 link_layer: str | None = None) -> tuple[SwitchModel | None, list[SwitchModel]]:
        """The catalog switch with ``radix`` ports of at least ``min_gbps``: model ``prefer`` if one of its
        breakouts has them, else the cheapest (same ``link_layer`` first); and every other that has them."""
        fits = [m for m in self.switch_options() if m.radix == radix and m.port_speed_gbps >= min_gbps]
        if not fits:
            return None, []
        fits.sort(key=lambda m: (m.catalog_model != prefer, m.link_layer != link_layer, m.price_usd,
                                 m.catalog_model or ""))
        return fits[0], fits[1:]

    def radixes(self, min_gbps: float) -> list[int]:
        return sorted({m.radix for m in self.switch_options() if m.port_speed_gbps >= min_gbps})

    # -- cables ------------------------------------------------------------------------------------------
    def class_speed(self, gbps: float) -> float:
        """The catalog link speed whose parts a link of ``gbps`` takes: the slowest at least as fast, else
        the fastest (a custom speed between catalog speeds runs on the faster parts)."""
        speeds = sorted({entry.link_gbps for entry in self.cables.values()})
        return next((s for s in speeds if s >= gbps - 1e-9), speeds[-1])

    def cable_options(self, gbps: float, link_layer: str, end_ports: tuple[int, int]) -> list[CableOption]:
        """The part classes a link of ``gbps`` can take between ends whose cages carry ``end_ports`` links
        (1 for a NIC or an unsplit cage), cheapest first (then lowest power, then name)."""
        key = ("options", gbps, link_layer, end_ports)
        if key in self._memo:
            return self._memo[key]
        speed = self.class_speed(gbps)
        out = []
        for entry in self.cables.values():
            if entry.link_gbps != speed or link_layer not in entry.link_layers:
                continue
            if entry.kind == "transceiver":
                by_ports = {m.ports: m for m in entry.modules or ()}
                a, z = by_ports.get(end_ports[0]), by_ports.get(end_ports[1])
                if a is None or z is None:
                    continue
                price = (entry.fibre_usd or 0.0) + a.price_usd / a.ports + z.price_usd / z.ports
                out.append(CableOption(entry, (a, z), price, a.power_w / a.ports + z.power_w / z.ports))
            else:
                out.append(CableOption(entry, (None, None), entry.price_usd or 0.0, 2 * (entry.power_per_end_w or 0.0)))
        out.sort(key=lambda o: (o.price_usd, o.power_w, o.entry.name))
        self._memo[key] = out
        return out

    def cheapest(self, gbps: float, link_layer: str, end_ports: tuple[int, int], length_m: float,
                 medium: str | None = None) -> CableOption:
        """The cheapest class reaching ``length_m`` (of ``medium`` if given); past every class's reach, the
        longest-reaching one; SpecError if the catalog has no part for such a link at all."""
        options = [o for o in self.cable_options(gbps, link_layer, end_ports) if medium in (None, o.medium)]
        if not options:
            what = f"{medium} " if medium else ""
            raise SpecError(f"the catalog has no {what}part for a {gbps:g} Gb/s {link_layer} link between cages of "
                            f"{end_ports[0]} and {end_ports[1]} ports; add one with --catalog FILE", path="catalog")
        reaching = [o for o in options if o.entry.reach_m >= length_m - 1e-9]
        return reaching[0] if reaching else max(options, key=lambda o: (o.entry.reach_m, -o.price_usd))

    def price_book(self, switch: SwitchModel, far: SwitchModel | None = None) -> PriceBook:
        """The count-based cable prices of designs on ``switch`` (of links from it to ``far``, a switch of
        another model: each end in its own cage): the calibrated preset's, or each medium's cheapest class
        at the catalog's nominal length (``count_based``); a transceiver is the mean of the two ends'."""
        far = far or switch
        if switch.calibrated_prices and far.calibrated_prices:
            return DEFAULT_PRICES
        key = ("book", switch.port_speed_gbps, switch.link_layer, switch.ports_per_cage, far.ports_per_cage)
        if key not in self._memo:
            nominal = self.count_based
            speed, layer, cage = switch.port_speed_gbps, switch.link_layer, switch.ports_per_cage
            ends = (cage, far.ports_per_cage)
            electric = self.cheapest(speed, layer, ends, nominal.electric_m, ELECTRIC)
            optical = self.cheapest(speed, layer, ends, nominal.optical_m, OPTICAL)
            fibre = optical.entry.fibre_usd if optical.entry.kind == "transceiver" else optical.price_usd
            self._memo[key] = PriceBook(
                endpoint_cable_usd=self.cheapest(speed, layer, (1, cage), nominal.electric_m, ELECTRIC).price_usd,
                electric_cable_usd=electric.price_usd,
                optical_cable_usd=fibre or 0.0,
                transceiver_usd=(optical.price_usd - (fibre or 0.0)) / 2,
                endpoint_optical_usd=self.cheapest(speed, layer, (1, cage), nominal.optical_m, OPTICAL).price_usd,
            )
        return self._memo[key]

    # -- NICs and latency --------------------------------------------------------------------------------
    def nic_for(self, link_layer: str, ports_per_endpoint: int, endpoint_gbps: float,
                name: str | None = None) -> NicChoice | None:
        """The cheapest NICs giving an endpoint ``ports_per_endpoint`` ports of ``endpoint_gbps`` (a
        multi-plane NIC such as ConnectX-8 gives 2 or 4); None if no NIC of the catalog does."""
        if name is not None and name not in self.nics:
            raise SpecError(f"unknown NIC {name!r}; valid: {', '.join(self.nics)}", path="nic")
        best: tuple[tuple[float, float, str], NicChoice] | None = None
        for nic in self.nics.values():
            if (name is not None and nic.name != name) or link_layer not in nic.link_layers:
                continue
            for planes in nic.planes:
                if nic.port_gbps / planes < endpoint_gbps - 1e-9:
                    continue
                count = ceil(ports_per_endpoint / planes)
                key = (count * nic.price_usd, count * nic.power_w, nic.name)
                if best is None or key < best[0]:
                    best = (key, NicChoice(nic, planes, count))
        if best is None and name is not None:
            raise SpecError(f"NIC {name} gives no {endpoint_gbps:g} Gb/s {link_layer} port", path="nic")
        return None if best is None else best[1]

    def latency(self, link_layer: str) -> LinkLayerEntry:
        return self.link_layers[link_layer]


def _model(entry: SwitchEntry, breakout: int) -> SwitchModel:
    return SwitchModel(
        name=entry.name,
        radix=entry.cages * breakout,
        port_speed_gbps=entry.cage_gbps / breakout,
        price_usd=entry.price_usd,
        description=entry.description,
        catalog_model=entry.name,
        breakout=breakout,
        ports_per_cage=breakout,
        cage_lanes=entry.cage_lanes,
        link_layer=entry.link_layer,
        port_names=entry.port_names,
        rack_units=entry.rack_units,
        power_typical_w=entry.power_typical_w,
        power_max_w=entry.power_max_w,
        calibrated_prices=entry.calibrated_prices,
        vendor=entry.vendor,
        product=entry.product,
        price_source=entry.price_source,
        power_source=entry.power_source,
    )


def _read(path: Path, source: str) -> CatalogFile:
    if path == CATALOG_FILE:  # ours, checked by the tests (duplicate keys included): libyaml's fast loader
        import yaml

        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    else:
        data = load_yaml(path, source)
    if not isinstance(data, dict):
        raise SpecError("expected a mapping with switches, nics, cables ...", source=source)
    try:
        return CatalogFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, CatalogFile).located(source=source) from None


@functools.lru_cache(maxsize=8)
def load_catalog(files: tuple[str, ...] = ()) -> Catalog:
    """The shipped catalog with ``files`` over it, checked whole (every switch's link layer has latency
    figures, every switch breakout a copper and an optical part)."""
    shipped = _read(CATALOG_FILE, str(CATALOG_FILE))
    layers: dict[str, LinkLayerEntry] = {str(name): entry for name, entry in shipped.link_layers.items()}
    nvlink, nvlink_source = shipped.nvlink_forward_us, shipped.nvlink_forward_source
    count_based = shipped.count_based
    switches = {e.name: e for e in shipped.switches}
    nics = {e.name: e for e in shipped.nics}
    cables = {e.name: e for e in shipped.cables}
    for name in files:
        user = _read(Path(name), name)
        layers.update((str(name), entry) for name, entry in user.link_layers.items())
        nvlink = user.nvlink_forward_us if user.nvlink_forward_us is not None else nvlink
        nvlink_source = user.nvlink_forward_source or nvlink_source
        count_based = user.count_based or count_based
        switches.update((e.name, e) for e in user.switches)
        nics.update((e.name, e) for e in user.nics)
        cables.update((e.name, e) for e in user.cables)
    where = files[-1] if files else str(CATALOG_FILE)
    if nvlink is None or nvlink_source is None or count_based is None:
        raise SpecError("needs nvlink_forward_us, nvlink_forward_source and count_based", source=where)
    catalog = Catalog(switches, nics, cables, layers, nvlink, nvlink_source, count_based, files)
    for entry in switches.values():
        if entry.link_layer not in layers:
            raise SpecError(f"{entry.name}: no latency figures for link layer {entry.link_layer}",
                            path="link_layers", source=where)
        for b in entry.breakouts:
            for medium in (ELECTRIC, OPTICAL):
                catalog.cheapest(entry.cage_gbps / b, entry.link_layer, (b, b), 0.0, medium)
    if DEFAULT_SWITCH_MODEL not in switches:
        raise SpecError(f"the default switch {DEFAULT_SWITCH_MODEL} is missing", path="switches", source=where)
    return catalog


_active: tuple[str, ...] = ()


def active() -> Catalog:
    """The catalog of the running command: shipped, with the files of ``use_files`` over it."""
    return load_catalog(_active)


def use_files(paths: Sequence[Path | str]) -> None:
    """Make the shipped catalog with ``paths`` over it the active one (checked now: a bad file is a
    SpecError naming it)."""
    global _active
    files = tuple(str(p) for p in paths)
    load_catalog(files)
    _active = files


@contextmanager
def restored() -> Iterator[None]:
    """Whatever ``use_files`` does inside, the shipped catalog is active again after."""
    global _active
    try:
        yield
    finally:
        _active = ()
