"""Bill of materials: switches by model, cables by use, class and stock length, transceivers; with unit
prices, totals and power. YAML, or CSV when the output name ends in ``.csv``.

Prices come from the design's price book, cables priced by the class their planned length gives (the
length-aware cost of ``topoctl.physical.layout``), so the BOM total equals that cost. Power figures are
assumptions, not quotes, stated in the output: a 64-port 400G switch draws about 750 W with passive
cables (the order of the NVIDIA Quantum-2 QM9700 datasheet's typical figure), a 400G optical
transceiver about 9 W; DACs draw nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import block
from topoctl.physical.layout import LENGTH_AWARE_METHOD, CableTally
from topoctl.topologies.base import OPTICAL

__all__ = ["SWITCH_POWER_W", "TRANSCEIVER_POWER_W", "bill_of_materials", "write_bom"]

SWITCH_POWER_W = 750.0
TRANSCEIVER_POWER_W = 9.0
CSV_HEADER = ("section", "item", "cable_class", "length_m", "speed_gbps", "count", "unit_price_usd", "total_usd",
              "unit_power_w", "total_power_w")


def _num(value: float) -> float | int:
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def bill_of_materials(job: ExportJob) -> dict[str, Any]:
    """The BOM as plain data (streams the cables once)."""
    design, prices = job.design, job.design.prices
    tally = CableTally()
    for _ in tally.counted(job.cables()):
        pass
    switches = [
        _line("switch", design.switch.name, None, None, design.switch.port_speed_gbps, design.counts.num_switches,
              design.switch.price_usd, SWITCH_POWER_W)
    ]
    cables = []
    for (endpoint, cable_class, length_m, speed), count in sorted(tally.counts.items(), key=_cable_order):
        use = "endpoint" if endpoint else "switch"
        if cable_class == OPTICAL:
            item, unit = f"{use} fibre", prices.optical_cable_usd
        else:
            item = f"{use} DAC"
            unit = prices.endpoint_cable_usd if endpoint else prices.electric_cable_usd
        cables.append(_line("cable", item, cable_class, length_m, speed, count, unit, 0.0))
    optical_by_speed: dict[float, int] = {}
    for (_, cable_class, _, speed), count in tally.counts.items():
        if cable_class == OPTICAL:
            optical_by_speed[speed] = optical_by_speed.get(speed, 0) + 2 * count
    transceivers = [
        _line("transceiver", f"{_num(speed)}G optical transceiver", OPTICAL, None, speed, count,
              prices.transceiver_usd, TRANSCEIVER_POWER_W)
        for speed, count in sorted(optical_by_speed.items())
    ]
    lines = switches + cables + transceivers
    total = sum(line["total_usd"] for line in lines)
    return {
        "design": design.name,
        "cost_method": LENGTH_AWARE_METHOD,
        "switches": switches,
        "cables": cables,
        "transceivers": transceivers,
        "totals": {
            "num_switches": design.counts.num_switches,
            "num_cables": tally.num_cables,
            "num_transceivers": sum(optical_by_speed.values()),
            "total_usd": _num(total),
            "count_based_total_usd": _num(design.cost.total_usd),
            "power_w": _num(sum(line["total_power_w"] for line in lines)),
        },
        "power_assumptions_w": {"switch": _num(SWITCH_POWER_W), "transceiver": _num(TRANSCEIVER_POWER_W), "dac": 0},
    }


def _cable_order(item: tuple[tuple[bool, str, float, float], int]) -> tuple[int, str, float, float]:
    (endpoint, cable_class, length_m, speed), _ = item
    return (0 if endpoint else 1, cable_class, length_m, speed)


def _line(section: str, item: str, cable_class: str | None, length_m: float | None, speed_gbps: float, count: int,
          unit_price_usd: float, unit_power_w: float) -> dict[str, Any]:
    return {
        "section": section,
        "item": item,
        "cable_class": cable_class,
        "length_m": None if length_m is None else _num(length_m),
        "speed_gbps": _num(speed_gbps),
        "count": count,
        "unit_price_usd": _num(unit_price_usd),
        "total_usd": _num(count * unit_price_usd),
        "unit_power_w": _num(unit_power_w),
        "total_power_w": _num(count * unit_power_w),
    }


def write_bom(job: ExportJob, out: Path) -> int:
    """Write the BOM (CSV if ``out`` ends in .csv, else YAML); returns the number of cables."""
    bom = bill_of_materials(job)
    with atomic_text(out) as handle:
        if Path(out).suffix.lower() == ".csv":
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CSV_HEADER)
            for line in bom["switches"] + bom["cables"] + bom["transceivers"]:
                writer.writerow(["" if line[key] is None else line[key] for key in CSV_HEADER])
            totals = bom["totals"]
            writer.writerow(["total", "all", "", "", "", "", "", totals["total_usd"], "", totals["power_w"]])
        else:
            handle.write(block(bom))
    return bom["totals"]["num_cables"]
