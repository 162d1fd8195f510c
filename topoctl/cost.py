"""Cost of a design from its counts: switches, endpoint cables, and switch cables by class."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from topoctl.catalog import PriceBook
from topoctl.topologies.base import ELECTRIC, OPTICAL, Counts

__all__ = ["CostBreakdown", "price_counts"]


@dataclass(frozen=True)
class CostBreakdown:
    switches_usd: float
    endpoint_cables_usd: float
    electric_cables_usd: float
    optical_cables_usd: float
    transceivers_usd: float

    @property
    def total_usd(self) -> float:
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def links_by_class(counts: Counts, cable_classes: dict[str, str]) -> dict[str, int]:
    """Switch-to-switch links per cable class; ``cable_classes`` overrides a link group's default."""
    out = {ELECTRIC: 0, OPTICAL: 0}
    for group in counts.link_groups:
        out[cable_classes.get(group.name, group.cable_class)] += group.count
    return out


def price_counts(
    counts: Counts, switch_price_usd: float, prices: PriceBook, cable_classes: dict[str, str]
) -> CostBreakdown:
    """Sum of unit prices times counts: the count-based cost (no cable lengths). Endpoint links are priced
    in the medium ``cable_classes["endpoint"]`` gives (default electric: in-rack DACs)."""
    links = links_by_class(counts, cable_classes)
    return CostBreakdown(
        switches_usd=counts.num_switches * switch_price_usd,
        endpoint_cables_usd=counts.num_endpoint_links
        * prices.endpoint_link_usd(cable_classes.get("endpoint", ELECTRIC)),
        electric_cables_usd=links[ELECTRIC] * prices.electric_cable_usd,
        optical_cables_usd=links[OPTICAL] * prices.optical_cable_usd,
        transceivers_usd=links[OPTICAL] * 2 * prices.transceiver_usd,
    )
