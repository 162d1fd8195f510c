"""Direct-network sizing decided by CP-SAT equals an exhaustive oracle.

The dragonfly sizer has one candidate whose p, a, h, g the solver decides (topologies/dragonfly.py,
``decided_model``). The oracle here enumerates the same construction space independently of the model:
every p, a, h with p + (a-1) + h within the radix less the spare share, at the fewest groups g >= N/(p*a)
with a*h*g even, g <= a*h + 1 and g = 1 exactly when h = 0 (Kim et al. 2008); it keeps the shapes within
the hop and blast-radius limits whose proof (``Dragonfly.sizing_cut``, the family's one proof function)
reaches the cables the bisection ratio asks, and takes the best by the objective, then the stated
tie-breaks (fewest cables, then fewest p, a, h). The solver's objective value and design must equal it.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil

import pytest

from topoctl.optimize import InfeasibleError, parse_requirement, size
from topoctl.optimize.candidates import prices_of
from topoctl.topologies.dragonfly import Dragonfly
from topoctl.topologies.sizing import cut_needed

MILLI = 1000


def oracle(req):
    """(objective, cables, p, a, h, g) of the best dragonfly for ``req``, or None."""
    config = req.switch_configs()[0]
    prices = prices_of(config, req.price_book())
    k, n = config.radix, req.num_endpoints
    spare = Fraction(req.spare_ports_percent).limit_denominator(1000) / 100
    rho = Fraction(req.speed_gbps()) / Fraction(config.port_speed_gbps)
    best = None
    for p in range(1, k + 1):
        for a in range(1, k + 1):
            for h in range(0, k + 1):
                used = p + a - 1 + h
                if used > k or Fraction(k - used, k) < spare:
                    continue
                g = ceil(n / (p * a))
                if (a * h * g) % 2:
                    g += 1
                if g > a * h + 1 or (g == 1) != (h == 0):
                    continue
                total, switches = p * a * g, a * g
                hops = (3 if a > 1 else 1) if g > 1 else (1 if a > 1 else 0)
                blast = total if switches == 1 else p
                if req.max_hops is not None and hops > req.max_hops:
                    continue
                if req.max_blast_radius is not None and blast > req.max_blast_radius:
                    continue
                need = cut_needed(req.bisection_ratio, total, Fraction(config.port_speed_gbps), Fraction(req.speed_gbps()))
                if Dragonfly.sizing_cut(p, a, h, g, rho) < need:
                    continue
                intra, glob = g * a * (a - 1) // 2, a * h * g // 2
                cents = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                         + intra * prices.electric_link_cents + glob * prices.optical_link_cents)
                if req.max_cost_usd is not None and cents > req.max_cost_usd * 100:
                    continue
                value = {"cost": cents, "switches": switches,
                         "cost_per_endpoint": -(-MILLI * cents // total)}[req.objective]
                key = (value, total + intra + glob, p, a, h, g)
                best = key if best is None or key < best else best
    return best


def _instances(count, seed, radices):
    rng = random.Random(seed)
    out = []
    for index in range(count):
        radix = rng.choice(radices)
        fields = {
            "endpoints": rng.randint(1, min(20_000, radix ** 3)),
            "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
            "families": ["dragonfly"],
            "endpoint_speed_gbps": rng.choice([400, 400, 200, 100]),
            "min_bisection_ratio": rng.choice([0.0, 0.25, 0.5, 1.0, 1.0]),
            "max_hops": rng.choice([None, None, 1, 2, 3]),
            "max_blast_radius": rng.choice([None, None, max(1, radix // 4), radix]),
            "spare_ports_percent": rng.choice([0, 0, 10, 25]),
            "objective": rng.choice(["cost", "switches", "cost_per_endpoint"]),
        }
        out.append(pytest.param({k: v for k, v in fields.items() if v is not None}, id=f"r{radix}-case{index}"))
    return out


def _check(fields):
    req = parse_requirement(fields, "test")
    expected = oracle(req)
    try:
        got = size(req).best
    except InfeasibleError:
        assert expected is None, f"sizer says infeasible, the oracle found {expected}"
        return False
    assert expected is not None, f"the oracle found nothing, the sizer chose {got.solution.size}"
    assert got.stats.status == "optimal"
    z = got.solution.size
    assert (got.stats.objective, z["p"], z["a"], z["h"], z["g"]) == (expected[0], *expected[2:])
    assert got.design.topology.parameters()["g"] == z["g"]  # rebuilt through the library
    return True


@pytest.mark.parametrize("fields", _instances(240, seed=10, radices=[4, 5, 6, 8, 10, 12, 16]))
def test_decided_dragonfly_matches_the_oracle(fields):
    _check(fields)


@pytest.mark.slow
@pytest.mark.parametrize("fields", _instances(12, seed=11, radices=[32, 48, 64]))
def test_decided_dragonfly_matches_the_oracle_at_larger_radix(fields):
    _check(fields)


def test_the_random_instances_include_infeasible_ones():
    outcomes = [_check(p.values[0]) for p in _instances(240, seed=10, radices=[4, 5, 6, 8, 10, 12, 16])[:60]]
    assert not all(outcomes) and any(outcomes)


@pytest.mark.parametrize("rho", [Fraction(1), Fraction(1, 2), Fraction(1, 4)])
def test_the_sizing_proof_is_below_the_windowed_bound_by_less_than_a_cable(rho):
    """sizing_cut <= bisection_lower_bound (its search over y) < sizing_cut + 1, over small shapes; at
    rho = 1 their whole cables agree on all but a few."""
    checked = same = 0
    for p in range(1, 7):
        for a in range(1, 9):
            for h in range(0, 5):
                for g in range(1, a * h + 2):
                    if (g == 1) != (h == 0) or (a * h * g) % 2:
                        continue
                    topo = Dragonfly(radix=p + a - 1 + h, p=p, a=a, h=h, g=g)
                    proof = Dragonfly.sizing_cut(p, a, h, g, rho)
                    windowed = Fraction(topo.bisection_lower_bound(float(rho))[0])
                    assert proof - Fraction(1, 10**9) <= windowed < proof + 1, (p, a, h, g)
                    checked += 1
                    same += int(proof) == int(windowed + Fraction(1, 10**9))
    assert checked > 1000
    if rho == 1:
        assert same >= checked - 2, (same, checked)


@pytest.mark.parametrize("fields", _instances(30, seed=12, radices=[6, 8, 12, 16]))
def test_the_explaining_shapes_hold_the_decided_optimum(fields):
    """A request is sized by one decided candidate; explaining infeasibility (a relaxed request) takes the
    shapes one by one instead (``Dragonfly.shapes``, the fewest admitted h per (p, a) and g). The best
    shape that breaks nothing is as good as the solver's answer."""
    from topoctl.optimize.candidates import enumerate_candidates
    from topoctl.optimize.result import violations

    req = parse_requirement({**fields, "objective": "cost"}, "test")
    decided = enumerate_candidates(req)
    assert len(decided) <= 1 and all(c.decided for c in decided)
    request = req.sizing_request()
    relaxed = request.relaxed(families=request.families, max_tiers=3, max_planes=1)
    config = req.switch_configs()[0]
    shapes = list(Dragonfly.candidates(relaxed, config, prices_of(config, req.price_book())))
    assert all(not c.decided for c in shapes)
    admitted = [c.cost_cents for c in shapes if not violations(c, req)]
    expected = oracle(req)
    assert (min(admitted) if admitted else None) == (None if expected is None else expected[0])
