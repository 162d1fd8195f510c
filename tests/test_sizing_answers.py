"""The sizer's answers do not depend on how the shapes are enumerated: ~20 requests at radices 64 to 288 (two
switches per request among them, every objective, hop, blast-radius, spare-port and cost limits, top 2) give the
designs recorded in tests/data/sizing_answers.json, which were first recorded from the sizer BEFORE the
enumeration left out the shapes that can never be chosen (CostBound, and the families' skips of leaf splits,
Dragonfly+ and HyperX shapes past it), and again when a dragonfly's one-group rows that cannot meet the ratio
left its model (every answer then the same or cheaper, and most proven where they were not): family, switches per role and switch, cost, switches, endpoints, the solver's status and
the number of candidates the model weighed. An answer the solver did not prove optimal within the generous time
limit depends on how much of it was left after the enumeration (a decided candidate may find an equally cheap
design with more time and win the tie by rank): for those the model's candidates must be the same (their number
here, and all of them in the second test) and the answer no costlier. Those take the time limit and are slow.
The second test compares the model's candidates (result._model_candidates) with and without the bound, on small
radices where enumerating every shape is quick, and on the requests above (slow: every shape at radix 288)."""

from __future__ import annotations

import json

import pytest
from sizing_answers import FIXTURE, REQUESTS, answer

RECORDED = json.loads(FIXTURE.read_text())


def _cases() -> list[object]:
    out = []
    for name, fields, top in REQUESTS:
        proven = all(d["status"] == "optimal" for d in RECORDED[name])
        out.append(pytest.param(name, fields, top, id=name, marks=() if proven else pytest.mark.slow))
    return out


@pytest.mark.parametrize(("name", "fields", "top"), _cases())
def test_the_sizer_gives_the_recorded_answer(name: str, fields: dict, top: int) -> None:
    got, recorded = answer(fields, top), RECORDED[name]
    if all(d["status"] == "optimal" for d in recorded):
        assert got == recorded
        return
    assert [d["num_candidates"] for d in got] == [d["num_candidates"] for d in recorded]
    if fields.get("objective", "cost") == "cost":
        assert [d["cost_cents"] for d in got] <= [d["cost_cents"] for d in recorded]


# Small radices, so the whole enumeration without the bound is quick: the model's candidates must be the same.
SMALL = [
    ({"endpoints": 1000}, 1),
    ({"endpoints": 1000}, 3),
    ({"endpoints": 3000, "switches": [{"name": "r24", "radix": 24, "port_speed_gbps": 400, "price_usd": 20000},
                                      {"name": "r48", "radix": 48, "port_speed_gbps": 400, "price_usd": 45000}]}, 1),
    ({"endpoints": 2000, "switches": [{"name": "r40", "radix": 40, "port_speed_gbps": 400, "price_usd": 30000}],
      "min_bisection_ratio": 0.5, "max_planes": 2}, 2),
    ({"endpoints": 5000, "switches": [{"name": "r36", "radix": 36, "port_speed_gbps": 400, "price_usd": 30000}],
      "max_hops": 3, "max_blast_radius": 30}, 1),
    ({"endpoints": 4000, "switches": [{"name": "r32", "radix": 32, "port_speed_gbps": 400, "price_usd": 25000}],
      "spare_ports_percent": 10, "max_cost_usd": 60_000_000, "endpoints_per_node": 4}, 1),
    # one family at a time: each family's own skips decide what is left
    ({"endpoints": 3000, "families": ["dragonfly_plus"], "switches": [
        {"name": "r40", "radix": 40, "port_speed_gbps": 400, "price_usd": 30000}]}, 2),
    ({"endpoints": 3000, "families": ["dragonfly_plus"], "min_bisection_ratio": 0.4, "switches": [
        {"name": "r48", "radix": 48, "port_speed_gbps": 400, "price_usd": 30000}]}, 1),
    ({"endpoints": 3000, "families": ["hyperx"], "switches": [
        {"name": "r40", "radix": 40, "port_speed_gbps": 400, "price_usd": 30000}]}, 2),
    ({"endpoints": 6000, "families": ["mrft"], "max_planes": 1, "switches": [
        {"name": "r48", "radix": 48, "port_speed_gbps": 400, "price_usd": 30000}]}, 2),
    ({"endpoints": 6000, "families": ["fat_tree", "multiplane_fat_tree"], "max_planes": 4, "min_bisection_ratio": 0.7,
      "switches": [{"name": "r40", "radix": 40, "port_speed_gbps": 400, "price_usd": 30000}]}, 3),
]


@pytest.mark.parametrize(("fields", "top"), [*SMALL, *(pytest.param(fields, top, id=name, marks=pytest.mark.slow)
                                                        for name, fields, top in REQUESTS)])
def test_left_out_shapes_leave_the_models_candidates_unchanged(monkeypatch: pytest.MonkeyPatch, fields: dict,
                                                                top: int) -> None:
    """The candidates the model weighs (result._model_candidates: those the dominance filter keeps) are the
    same, in the same order, whether the enumeration leaves out the shapes CostBound rules out or not."""
    from topoctl.optimize import parse_requirement, result

    req = parse_requirement(fields, "test")

    def shown(found: list) -> list[tuple]:
        return [(c.label(), c.decided, c.cost_cents, sorted(c.shape.items()), sorted(c.size.items()), c.lower_bound)
                for c in found]

    pruned = result._model_candidates(req, top).candidates
    enumerate_all = result.enumerate_candidates
    monkeypatch.setattr(result, "enumerate_candidates", lambda req, keep=None, **kw: enumerate_all(req, **kw))
    whole = result._model_candidates(req, top).candidates
    if req.objective == "cost" and req.max_power_kw is None:
        assert len(enumerate_all(req, keep=top)) < len(enumerate_all(req))  # something was left out
    assert shown(pruned) == shown(whole)
