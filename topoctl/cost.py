"""Cost of a design from its counts: switches, endpoint cables, and switch cables by class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from topoctl.catalog import PriceBook
from topoctl.topologies.base import ELECTRIC, OPTICAL, Counts, LinkGroup

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
    counts: Counts, switch_price_usd: float, prices: PriceBook, cable_classes: dict[str, str], *,
    role_price_usd: Callable[[str], float] | None = None, group_prices: Callable[[LinkGroup], PriceBook] | None = None,
) -> CostBreakdown:
    """Sum of unit prices times counts: the count-based cost (no cable lengths). Endpoint links are priced
    in the medium ``cable_classes["endpoint"]`` gives (default electric: in-rack DACs). With a model per
    role, ``role_price_usd`` prices each role's switches and ``group_prices`` each link group's cables (its
    two ends' cages), ``prices`` the endpoint links."""
    switches = (counts.num_switches * switch_price_usd if role_price_usd is None
                else sum(count * role_price_usd(role) for role, count in counts.num_switches_by_role.items()))
    cables = {ELECTRIC: 0.0, OPTICAL: 0.0, "fibre": 0.0, "transceivers": 0.0}
    for group in counts.link_groups:
        book = prices if group_prices is None else group_prices(group)
        if cable_classes.get(group.name, group.cable_class) == ELECTRIC:
            cables[ELECTRIC] += group.count * book.electric_cable_usd
        else:
            cables["fibre"] += group.count * book.optical_cable_usd
            cables["transceivers"] += group.count * 2 * book.transceiver_usd
    return CostBreakdown(
        switches_usd=switches,
        endpoint_cables_usd=counts.num_endpoint_links
        * prices.endpoint_link_usd(cable_classes.get("endpoint", ELECTRIC)),
        electric_cables_usd=cables[ELECTRIC],
        optical_cables_usd=cables["fibre"],
        transceivers_usd=cables["transceivers"],
    )
