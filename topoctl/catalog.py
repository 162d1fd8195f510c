"""Switch models and cable classes with the default price preset.

The default preset is calibrated, not quoted: the DeepSeek-V3 paper (arXiv 2505.09343, Table 3) prints
costs "derived from the methodology in the Slim Fly paper" but no unit prices. A least-squares fit of
its five cost-per-endpoint cells, with endpoint cables as short in-rack DACs, switch-to-switch copper
(the edge-aggregation and intra-group link groups) as electric and every other switch-to-switch cable
as optical, gives about $49k per 64-port 400G switch, $1.6k per electric and $1.78k per optical link;
rounded to the values below, every cost and cost-per-endpoint cell of the table is within 0.5%
(tests/test_table3.py). The Slim Fly group's 2014 cost functions (Besta & Hoefler, SC 2014, Section 5)
are far below these and do not reproduce the table, so they are not the default.
"""

from __future__ import annotations

from dataclasses import dataclass

from topoctl.topologies.base import ELECTRIC, OPTICAL

__all__ = [
    "SwitchModel",
    "PriceBook",
    "SWITCH_MODELS",
    "DEFAULT_SWITCH_MODEL",
    "DEFAULT_PRICES",
    "CABLE_CLASSES",
]

CABLE_CLASSES = {
    ELECTRIC: "switch-to-switch copper (DAC or active copper), no transceivers",
    OPTICAL: "switch-to-switch fibre with a transceiver at each end",
}


@dataclass(frozen=True)
class SwitchModel:
    name: str
    radix: int
    port_speed_gbps: float
    price_usd: float
    description: str = ""


@dataclass(frozen=True)
class PriceBook:
    """Cable prices in USD. Endpoint cables are in-rack DACs; an optical link costs its fibre plus two
    transceivers."""

    endpoint_cable_usd: float = 300.0
    electric_cable_usd: float = 1_600.0
    optical_cable_usd: float = 180.0
    transceiver_usd: float = 800.0

    @property
    def optical_link_usd(self) -> float:
        return self.optical_cable_usd + 2 * self.transceiver_usd


DEFAULT_SWITCH_MODEL = "ib-ndr-64x400g"
SWITCH_MODELS: dict[str, SwitchModel] = {
    model.name: model
    for model in (
        SwitchModel(
            DEFAULT_SWITCH_MODEL,
            radix=64,
            port_speed_gbps=400,
            price_usd=49_000,
            description="64-port 400G NDR InfiniBand switch (price calibrated to the paper's Table 3)",
        ),
    )
}
DEFAULT_PRICES = PriceBook()
