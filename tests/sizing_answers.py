"""The requests of tests/test_sizing_answers.py and the answer each gets, recorded into
tests/data/sizing_answers.json by running this module from tests/ (``python sizing_answers.py [NAME...]``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent / "data" / "sizing_answers.json"
TIME_LIMIT_S = 120.0  # generous: every answer here is proven optimal, so it cannot depend on the machine's load

Q3400_288 = {"model": "q3400", "breakouts": [2]}  # 288 x 400G
Q3400_144 = {"model": "q3400", "breakouts": [1]}  # 144 x 800G
R200 = {"name": "r200", "radix": 200, "port_speed_gbps": 400, "price_usd": 80000}
X800 = {"name": "x800", "radix": 64, "port_speed_gbps": 800, "price_usd": 90000, "breakouts": [1, 2]}

# (name, requirement, top): radices 64 to 288, every objective, the limits the sizer prunes for
REQUESTS: list[tuple[str, dict[str, Any], int]] = [
    ("1,000 default", {"endpoints": 1000}, 1),
    ("10,000 one plane, radix 64", {"endpoints": 10000, "max_planes": 1}, 1),
    ("10,000 radix 64 and 288", {"endpoints": 10000, "switches": [{"model": "qm9700"}, Q3400_288], "max_planes": 1}, 1),
    ("60,000 radix 64 and 288", {"endpoints": 60000, "switches": [{"model": "qm9700"}, Q3400_288], "max_planes": 1}, 1),
    ("4,096 radix 288", {"endpoints": 4096, "switches": [Q3400_288], "max_planes": 1}, 1),
    ("10,000 radix 288 half bisection", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                         "min_bisection_ratio": 0.5}, 1),
    ("10,000 radix 288 two hops", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1, "max_hops": 2}, 1),
    ("10,000 radix 288 blast <= 40", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                      "max_blast_radius": 40}, 1),
    ("10,000 radix 288 10% spare", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                    "spare_ports_percent": 10}, 1),
    ("10,000 radix 288 cost cap", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                   "max_cost_usd": 40_000_000}, 1),
    ("10,000 radix 288 fewest switches", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                          "objective": "switches"}, 1),
    ("10,000 radix 288 cost per endpoint", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                            "objective": "cost_per_endpoint"}, 1),
    ("10,000 radix 288 power", {"endpoints": 10000, "switches": [Q3400_288], "max_planes": 1,
                                "objective": "power"}, 1),
    ("5,000 radix 144 at 800G", {"endpoints": 5000, "endpoint_speed_gbps": 800, "switches": [Q3400_144],
                                 "max_planes": 1}, 1),
    ("20,000 radix 200", {"endpoints": 20000, "switches": [R200], "max_planes": 1}, 1),
    ("30,000 radix 128 breakout, 4 planes", {"endpoints": 30000, "endpoint_speed_gbps": 400, "switches": [X800],
                                             "max_planes": 4}, 1),
    ("3,000 rail-aligned, radix 288", {"endpoints": 3000, "families": ["mrft"], "switches": [Q3400_288]}, 1),
    ("40,000 radix 288 two tiers", {"endpoints": 40000, "switches": [Q3400_288], "max_planes": 1,
                                    "max_tiers": 2}, 1),
    ("100,000 radix 64 and 288", {"endpoints": 100000, "switches": [{"model": "qm9700"}, Q3400_288]}, 1),
    ("12,000 radix 288 top 2, 3 hops", {"endpoints": 12000, "switches": [Q3400_288], "max_planes": 2,
                                        "max_hops": 3}, 2),
]


def answer(fields: dict[str, Any], top: int) -> list[dict[str, Any]]:
    """The sizer's designs for a request: family, switches per role and their models, cost, status and the
    number of candidates the model weighed."""
    from topoctl.optimize import parse_requirement, size

    result = size(parse_requirement(fields, "answers"), top=top, time_limit_s=TIME_LIMIT_S)
    out = []
    for d in result.designs:
        c = d.solution.candidate
        out.append({
            "family": d.design.topology.family,
            "switches_by_role": dict(d.design.counts.num_switches_by_role),
            "switch": c.switch_label(),
            "cost_cents": d.solution.cost_cents,
            "num_switches": d.solution.num_switches,
            "num_endpoints": d.solution.num_endpoints,
            "status": d.stats.status,
            "num_candidates": d.stats.num_candidates,
        })
    return out


def main() -> None:
    names = sys.argv[1:]
    recorded = json.loads(FIXTURE.read_text()) if FIXTURE.exists() else {}
    for name, fields, top in REQUESTS:
        if names and name not in names:
            continue
        recorded[name] = answer(fields, top)
        print(name, recorded[name], flush=True)
        FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
