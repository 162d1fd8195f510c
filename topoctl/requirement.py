"""A sizing requirement: what the cluster needs, from CLI flags or a YAML file.

A requirement file (YAML)::

    endpoints: 16384                 # or nodes: 2048 with endpoints_per_node: 8
    endpoint_speed_gbps: 400         # default: the first switch's fastest port of its listed breakouts
    switches:                        # candidate switch models (default: the catalog default)
      - {model: ib-ndr-64x400g}
      - {name: x800, radix: 64, port_speed_gbps: 800, price_usd: 90000, breakouts: [1, 2]}
    families: [...]                  # names of `topoctl families` (default: every family)
    max_tiers: 3
    max_planes: 8
    max_ports_per_endpoint: 1
    min_bisection_ratio: 1.0         # 1.0 is non-blocking
    max_hops: 2
    max_blast_radius: 64             # endpoints one switch failure may disconnect
    spare_ports_percent: 0
    max_cost_usd: 900000000
    max_power_kw: 2000               # switches, parts and NICs (topoctl.physical.footprint), linear closed form
    objective: cost                  # cost | switches | cost_per_endpoint | power
    prices: {optical_cable_usd: 180}

Unknown fields, wrong types and impossible values raise SpecError naming the file and the field path.
``families`` takes the names of the family registry (topoctl.topologies.FAMILIES).

The requirement reads the switch catalog and the family registry, so it sits above both; the families
see only its family-neutral view, ``sizing_request()`` (topologies.sizing.SizingRequest).
"""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, model_validator

from topoctl.catalog import DEFAULT_PRICES, DEFAULT_SWITCH_MODEL, PriceBook, SwitchModel, active
from topoctl.errors import SpecError
from topoctl.request import COMMAND_LINE, SizingFlags
from topoctl.spec import (
    MAX_SPEED_GBPS,
    MIN_SPEED_GBPS,
    PriceSpec,
    StrictModel,
    check_name,
    load_yaml,
    spec_label,
    validation_error,
)
from topoctl.topologies import FAMILIES
from topoctl.topologies.sizing import SizingRequest, SwitchConfig

__all__ = [
    "SwitchOption",
    "Requirement",
    "OBJECTIVES",
    "parse_requirement",
    "load_requirement",
    "requirement_from_flags",
]

OBJECTIVES = ("cost", "switches", "cost_per_endpoint", "power")
MAX_SIZED_ENDPOINTS = 100_000_000


def _family_name(value: Any) -> Any:
    """A name of the family registry; the error lists them as pydantic lists a Literal's values."""
    if not (isinstance(value, str) and value in FAMILIES):
        names = [repr(name) for name in FAMILIES]
        listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        raise ValueError(f"input should be {listed}")
    return value


FamilyName = Annotated[str, BeforeValidator(_family_name)]


class SwitchOption(StrictModel):
    """A candidate switch: a catalog ``model`` with figures overridden, or a custom one (``name``, ``radix``,
    ``port_speed_gbps``, ``price_usd``). ``breakouts`` lists the port splits allowed: 2 uses a
    64 x 800G switch as 128 x 400G (radix x b ports at port speed / b, same price)."""

    model: str | None = None
    name: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_name)] | None = None
    radix: int | None = Field(default=None, ge=2, le=4096)
    port_speed_gbps: float | None = Field(default=None, ge=MIN_SPEED_GBPS, le=MAX_SPEED_GBPS)
    price_usd: float | None = Field(default=None, ge=0, le=1e9)
    breakouts: list[int] = Field(default=[1], min_length=1, max_length=8)


class Requirement(StrictModel):
    endpoints: int | None = Field(default=None, ge=1, le=MAX_SIZED_ENDPOINTS)
    nodes: int | None = Field(default=None, ge=1, le=MAX_SIZED_ENDPOINTS)
    endpoints_per_node: int = Field(default=8, ge=1, le=1024)
    endpoint_speed_gbps: float | None = Field(default=None, ge=MIN_SPEED_GBPS, le=MAX_SPEED_GBPS)
    switches: list[SwitchOption] = Field(
        default=[SwitchOption(model=DEFAULT_SWITCH_MODEL)], min_length=1, max_length=16
    )
    families: list[FamilyName] = Field(default=list(FAMILIES), min_length=1)
    max_tiers: Literal[2, 3] = 3
    max_planes: int = Field(default=1, ge=1, le=256)
    max_ports_per_endpoint: int = Field(default=1, ge=1, le=256)
    min_bisection_ratio: float = Field(default=1.0, ge=0, le=64)
    max_hops: int | None = Field(default=None, ge=0, le=64)
    max_blast_radius: int | None = Field(default=None, ge=0, le=MAX_SIZED_ENDPOINTS)
    spare_ports_percent: float = Field(default=0.0, ge=0, lt=100)
    max_cost_usd: float | None = Field(default=None, gt=0, le=1e15)
    max_power_kw: float | None = Field(default=None, gt=0, le=1e9)
    objective: Literal["cost", "switches", "cost_per_endpoint", "power"] = "cost"
    prices: PriceSpec = PriceSpec()

    @model_validator(mode="after")
    def _one_size(self) -> Requirement:
        if (self.endpoints is None) == (self.nodes is None):
            raise ValueError("give exactly one of endpoints or nodes")
        for index, option in enumerate(self.switches):
            for b in option.breakouts:
                if b < 1 or b > 16:
                    raise ValueError(f"switches[{index}].breakouts: {b} is not a port split 1..16")
        return self

    @property
    def num_endpoints(self) -> int:
        return self.endpoints if self.endpoints is not None else self.nodes * self.endpoints_per_node  # type: ignore[operator]

    @property
    def bisection_ratio(self) -> Fraction:
        """The ratio as an exact fraction (0.333333 reads as 1/3, as people mean it)."""
        return Fraction(self.min_bisection_ratio).limit_denominator(1_000_000)

    def sizing_request(self) -> SizingRequest:
        """The family-neutral view the families' sizing reads (exact fractions)."""
        return SizingRequest(
            num_endpoints=self.num_endpoints,
            endpoints_per_node=self.endpoints_per_node,
            endpoint_speed_gbps=Fraction(self.speed_gbps()),
            bisection_ratio=self.bisection_ratio,
            spare_ports=Fraction(self.spare_ports_percent).limit_denominator(1000) / 100,
            max_tiers=self.max_tiers,
            max_planes=self.max_planes,
            max_ports_per_endpoint=self.max_ports_per_endpoint,
            max_hops=self.max_hops,
            max_blast_radius=self.max_blast_radius,
            families=tuple(self.families),
            objective=self.objective,
        )

    def switch_model(self, config: SwitchConfig) -> SwitchModel:
        """The switch a design sized on ``config`` resolves to (topoctl.design): a catalog model in its
        breakout, or a custom switch with its base model's figures (power scaled by bandwidth)."""
        parts = active()
        if config.model is None:
            base = parts.switch_model(DEFAULT_SWITCH_MODEL)
        elif config.catalog_breakout is not None:
            return parts.switch_model(config.model, config.catalog_breakout)
        else:
            base = parts.switch_model(config.model)
        return SwitchModel(config.name, config.radix, config.port_speed_gbps, config.price_usd,
                           link_layer=base.link_layer, rack_units=base.rack_units,
                           power_typical_w=base.scaled_power_w(config.radix, config.port_speed_gbps)[0],
                           calibrated_prices=config.model is None or base.calibrated_prices)

    def price_book(self, config: SwitchConfig | None = None) -> PriceBook:
        """The cable prices of designs on ``config`` (as topoctl.design prices them: the calibrated preset
        for custom switches and the calibrated model, else the catalog's parts), ``prices`` over them."""
        overrides = self.prices.model_dump(exclude_none=True)
        if config is None:
            return DEFAULT_PRICES.overridden(overrides)
        return active().price_book(self.switch_model(config)).overridden(overrides)

    def switch_configs(self) -> list[SwitchConfig]:
        """Every (switch, breakout) pair that can carry the endpoint speed; SpecError if none."""
        configs = []
        speed = self.speed_gbps()
        for index, option in enumerate(self.switches):
            base = _switch_figures(option, index, self.endpoint_speed_gbps)
            for b in sorted(set(option.breakouts)):
                native = base["breakout"]
                if native is not None and native * b not in base["breakouts"]:
                    valid = ", ".join(str(n // native) for n in base["breakouts"] if n % native == 0)
                    raise SpecError(f"{base['model']} cannot split its ports {b} ways; valid: {valid}",
                                    path=f"switches[{index}].breakouts")
                config = SwitchConfig(
                    index=index,
                    model=base["model"],
                    name=(
                        base["name"] if b == 1
                        else f"{base['name']} as {base['radix'] * b}x{_num(base['port_speed_gbps'] / b)}G"
                    ),
                    radix=base["radix"] * b,
                    port_speed_gbps=base["port_speed_gbps"] / b,
                    price_usd=base["price_usd"],
                    breakout=b,
                    catalog_breakout=None if native is None else native * b,
                )
                if config.port_speed_gbps >= speed:
                    configs.append(config)
        if not configs:
            raise SpecError(
                f"no switch port (after breakout) carries {_num(speed)} Gb/s; give a faster switch or a lower speed",
                path="endpoint_speed_gbps",
            )
        return configs

    def speed_gbps(self) -> float:
        """The endpoint speed: as given, else the fastest port the first switch offers in the breakouts it
        lists (its own speed over the least split: a switch listed only as 2 x 400G runs 400G endpoints)."""
        if self.endpoint_speed_gbps is not None:
            return self.endpoint_speed_gbps
        first = self.switches[0]
        return _switch_figures(first, 0, None)["port_speed_gbps"] / min(first.breakouts)


def _num(value: float) -> str:
    return f"{value:g}"


def _switch_figures(option: SwitchOption, index: int, speed: float | None) -> dict[str, Any]:
    """The option's model name, display name, radix, port speed, price and catalog breakout (None for a
    custom switch). A catalog model with only ``radix`` given is the catalog switch with that many ports
    (as topoctl.design picks it), or a custom one if none has them."""
    where = f"switches[{index}]"
    figures: dict[str, Any]
    if option.model is not None:
        parts = active()
        base = parts.switch_model(option.model, path=where)
        overridden = [key for key in ("radix", "port_speed_gbps", "price_usd")
                      if getattr(option, key) is not None and getattr(option, key) != getattr(base, key)]
        if overridden == ["radix"]:
            picked, _ = parts.by_radix(option.radix or 0, speed if speed is not None else base.port_speed_gbps,
                                       prefer=base.name, link_layer=base.link_layer)
            if picked is not None:
                base, overridden = picked, []
        entry = parts.switches[base.name]
        figures = {"model": base.name, "name": option.name or base.name, "radix": base.radix,
                   "port_speed_gbps": base.port_speed_gbps, "price_usd": base.price_usd,
                   "breakout": None if overridden else base.breakout, "breakouts": entry.breakouts}
    else:
        figures = {"model": None, "name": option.name or "custom", "breakout": None, "breakouts": []}
        for key in ("radix", "port_speed_gbps", "price_usd"):
            if getattr(option, key) is None:
                raise SpecError(
                    "a custom switch needs radix, port_speed_gbps and price_usd (or a catalog model)",
                    path=f"{where}.{key}",
                )
    if figures["breakout"] is None:
        for key in ("radix", "port_speed_gbps", "price_usd"):
            if getattr(option, key) is not None:
                figures[key] = getattr(option, key)
    return figures


def parse_requirement(data: Any, source: str) -> Requirement:
    """A requirement from parsed YAML (or a dict of flags); SpecError located in ``source``."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise SpecError(f"expected a mapping of requirement fields, got {kind}", source=source)
    try:
        requirement = Requirement.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] == "value_error" and not err["loc"]:
            message = str(err["msg"]).removeprefix("Value error, ")
            path = message.split(":", 1)[0] if message.startswith("switches[") else "endpoints"
            raise SpecError(
                message.split(": ", 1)[-1] if path != "endpoints" else message, path=path, source=source
            ) from None
        raise validation_error(exc, Requirement).located(source=source) from None
    try:
        requirement.switch_configs()
    except SpecError as exc:
        raise exc.located(source=source) from None
    return requirement


def load_requirement(path: Path | str) -> Requirement:
    path = Path(path)
    return parse_requirement(load_yaml(path, str(path)), str(path))


def build_requirement(base: Any, source: str, overrides: dict[str, Any], *, from_file: bool = True) -> Requirement:
    """A requirement from a file's fields (``from_file``) or none, with command-line flags over them.
    ``switch`` replaces the candidate switches with that catalog model in each of its breakouts; ``radix``
    sets the radix of every candidate switch (of the catalog default when none is given), which picks the
    catalog switch with that many ports."""
    if from_file and not isinstance(base, dict):
        return parse_requirement(base, source)  # says what the file should hold
    data = dict(base or {})
    flags = {key: value for key, value in overrides.items() if value is not None}
    radix = flags.pop("radix", None)
    model = flags.pop("switch", None)
    if model is not None:  # --switch MODEL: that model in every breakout it has
        entry = active().switch_model(model, path="--switch")
        splits = [b // entry.breakout for b in active().switches[model].breakouts if b % entry.breakout == 0]
        data["switches"] = [{"model": model, "breakouts": splits}]
    if "endpoints" in flags:
        data.pop("nodes", None)  # the flag replaces the file's size
    data.update(flags)
    if radix is not None:
        given = data.get("switches")
        switches = given if isinstance(given, list) else [{"model": DEFAULT_SWITCH_MODEL}]
        data["switches"] = [{**s, "radix": radix} if isinstance(s, dict) else s for s in switches]
    return parse_requirement(data, source)


def requirement_from_flags(flags: SizingFlags) -> Requirement:
    """The requirement of ``flags.requirement`` and/or the flags, flags over the file's fields."""
    path = flags.requirement
    label = spec_label(path) if path is not None else COMMAND_LINE
    base = load_yaml(path, label) if path is not None else None
    fields = {key: value for key, value in asdict(flags).items() if key != "requirement"}
    return build_requirement(base, label, fields, from_file=path is not None)
