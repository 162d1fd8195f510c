"""Bill of materials: switches by model, NICs, cables by part class, length and use, and transceiver
modules; with unit prices, totals and power. YAML, or CSV when the output name ends in ``.csv``.

Every cable takes the part class its planned length gives (topoctl.physical.layout: the catalog's
cheapest class that reaches); a transceiver class lists its fibre here and its modules apart, switch-end
modules shared by a cage's ports (twin-port: two links) counted per switch. Prices: a design on the
calibrated preset prices cables by medium with its price book, so the BOM total equals the layout's
length-aware cost; any other design takes the catalog's prices. Power: switches at their typical
figure, NICs, copper ends and modules as the catalog gives them (each figure's source is in the
catalog, ``topoctl parts``); the fabric cost excludes NICs, as the paper's Table 3 does, so their
price is listed but not in the total.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import block
from topoctl.physical.layout import LENGTH_AWARE_METHOD, CableTally
from topoctl.physical.parts import plan_parts
from topoctl.topologies.base import OPTICAL

__all__ = ["bill_of_materials", "write_bom"]

CSV_HEADER = ("section", "item", "cable_class", "length_m", "speed_gbps", "count", "unit_price_usd", "total_usd",
              "unit_power_w", "total_power_w")


def _num(value: float) -> float | int:
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def bill_of_materials(job: ExportJob) -> dict[str, Any]:
    """The BOM as plain data (streams the cables once)."""
    design, prices = job.design, job.design.prices
    switch = design.switch
    tally = CableTally(job.layout.cage_of)
    for _ in tally.counted(job.cables()):
        pass
    parts = plan_parts(design, tally)
    by_part = {line.part: line for line in parts.lines}
    calibrated = all(model.calibrated_prices for model, _ in design.switches_by_model)
    switches = [
        _line("switch", f"{model.name} ({model.product or 'custom'})", None, None, model.port_speed_gbps, count,
              model.price_usd, model.power_typical_w)
        for model, count in design.switches_by_model
    ]
    cables = []
    for (endpoint, cable_class, length_m, speed, part), count in sorted(tally.counts.items(), key=_cable_order):
        use = "endpoint" if endpoint else "switch"
        line = by_part[part]
        if calibrated:
            if cable_class == OPTICAL:
                unit = prices.optical_cable_usd
            else:
                unit = prices.endpoint_cable_usd if endpoint else prices.electric_cable_usd
        else:
            unit = line.cable_price_usd
        item = f"{use} {part}" + (" fibre" if line.kind == "transceiver" else "")
        cables.append(_line("cable", item, cable_class, length_m, speed, count, unit, line.cable_power_w))
    transceivers = []
    for line in parts.lines:
        ports = {m.name: m.ports for m in design.parts.cables[line.part].modules or ()}
        for name, count, watts, usd in line.modules:
            # the calibrated book prices a transceiver per link end; a twin-port module serves two
            unit = prices.transceiver_usd * ports[name] if calibrated else usd
            transceivers.append(_line("transceiver", f"{name} ({line.part})", OPTICAL, None,
                                      switch.port_speed_gbps, count, unit, watts))
    nics = []
    if design.nic is not None:
        nic = design.nic
        count = nic.per_endpoint * design.counts.num_endpoints
        nics.append(_line("nic", f"{nic.entry.name} ({nic.entry.product})", None, None, nic.entry.port_gbps, count,
                          nic.entry.price_usd, nic.entry.power_w))
    lines = switches + cables + transceivers
    total = sum(line["total_usd"] for line in lines)
    return {
        "design": design.name,
        "cost_method": LENGTH_AWARE_METHOD,
        "switches": switches,
        "cables": cables,
        "transceivers": transceivers,
        "nics": nics,
        "totals": {
            "num_switches": design.counts.num_switches,
            "num_cables": tally.num_cables,
            "num_transceivers": sum(line["count"] for line in transceivers),
            "total_usd": _num(total),
            "count_based_total_usd": _num(design.cost.total_usd),
            "nics_usd": _num(sum(line["total_usd"] for line in nics)),
            "power_w": _num(sum(line["total_power_w"] for line in lines + nics)),
        },
        "parts_method": parts.method,
        "prices": "calibrated price book (by medium)" if calibrated else "catalog part prices",
    }


def _cable_order(item: tuple[tuple[bool, str, float, float, str], int]) -> tuple[int, str, float, float, str]:
    (endpoint, cable_class, length_m, speed, part), _ = item
    return (0 if endpoint else 1, cable_class, length_m, speed, part)


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
            for line in bom["switches"] + bom["cables"] + bom["transceivers"] + bom["nics"]:
                writer.writerow(["" if line[key] is None else line[key] for key in CSV_HEADER])
            totals = bom["totals"]
            writer.writerow(["total", "all", "", "", "", "", "", totals["total_usd"], "", totals["power_w"]])
        else:
            handle.write(block(bom))
    return bom["totals"]["num_cables"]
