"""Sizing with CP-SAT: the issue's done-when checks, the requirement model, errors and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.optimize import InfeasibleError, load_requirement, parse_requirement, size
from topoctl.optimize.result import explain_infeasible
from topoctl.report import design_report
from topoctl.spec import DesignSpec, SwitchSpec
from topoctl.topologies import FAMILIES
from topoctl.topologies.base import BoundKind
from topoctl.topologies.fat_tree import FatTree

REQUIREMENTS = Path(__file__).resolve().parent.parent / "specs" / "requirements"
runner = CliRunner()


def req(**fields):
    return parse_requirement(fields, "test")


def test_deepseek_mpft_is_the_cheapest_two_tier_answer_and_matches_table3():
    """16,384 endpoints, radix 64, two tiers (2 hops), full bisection, up to 8 NIC ports."""
    result = size(req(endpoints=16384, max_tiers=2, max_hops=2, max_planes=8, max_ports_per_endpoint=8))
    report = result.best.report(result.requirement).as_dict()
    assert report["family"] == "multiplane_fat_tree"
    assert report["num_planes"] == 8
    assert report["num_switches"] == 768
    assert report["num_switches_by_role"] == {"leaf": 512, "spine": 256}
    assert report["sizing"]["status"] == "optimal"
    assert report["sizing"]["objective_value"] == report["cost_usd"] == report["sizing"]["best_bound"]
    table3 = json.loads(runner.invoke(app, ["compare", "--format", "json"]).stdout)
    mpft = next(d for d in table3["designs"] if d["name"] == "MPFT")
    assert report["cost_per_endpoint_usd"] == mpft["cost_per_endpoint_usd"]
    assert report["cost_usd"] == mpft["cost_usd"]


def test_requirement_file_sizes_the_paper_mpft():
    requirement = load_requirement(REQUIREMENTS / "deepseek-v3-mpft.yaml")
    assert requirement.num_endpoints == 16384
    best = size(requirement).best
    assert best.design.topology.family == "multiplane_fat_tree"
    assert best.design.counts.num_switches == 768


def test_2048_endpoints_is_one_plane_of_64_leaves_and_32_spines():
    best = size(req(endpoints=2048)).best
    assert best.design.topology.family == "fat_tree"
    assert best.design.counts.num_switches_by_role == {"leaf": 64, "spine": 32}


def test_10000_endpoints_at_radix_64_take_811_switches_with_full_bisection():
    """The sizing issue's target: the solver decides the three-tier construction. 21 pods of 15 edges
    (32 or 31 endpoints down, 16 x 2 cables up) and 16 aggregation switches (30 down, 30 up: 3 cables to
    each of the 10 cores of its group); 16 groups of 10 cores with 63 ports used. The leaf-split trees
    of any k <= 64 need 857 (k = 62: 330 + 341 + 186) or more."""
    best = size(req(endpoints=10000, families=["fat_tree"])).best
    full = FatTree.from_parameters(FatTree.Parameters(k=64, tiers=3), radix=64).counts()
    assert full.num_endpoints >= 10000 > 64 * 32  # the next full tree is the three-tier one
    assert best.design.counts.num_endpoints == 10000
    assert best.design.counts.num_switches == 315 + 336 + 160 == 811 < full.num_switches
    assert best.design.counts.num_switch_links == 20160
    assert "315 edge, 336 aggregation, 160 core" in best.note()
    assert "21 pods of 15 edges (32 down, 32 up) and 16 aggregation switches, 2 cables" in best.note()
    assert best.stats.status == "optimal"
    bisection = design_report(best.design).bisection
    assert bisection.ratio == 1 and bisection.kind is BoundKind.EXACT


def test_infeasible_names_the_constraint_and_the_smallest_relaxations():
    requirement = req(endpoints=16384, max_tiers=2, families=["fat_tree", "multiplane_fat_tree"])
    with pytest.raises(InfeasibleError) as info:
        size(requirement)
    assert str(info.value) == (
        "no design for 16,384 endpoints at radix 64 meets max_tiers=2, max_planes=1, "
        "families=fat_tree,multiplane_fat_tree; smallest relaxation: max_tiers=3 or max_planes=8 "
        "or families including dragonfly"
    )


def test_infeasible_names_endpoints_that_are_not_whole_nodes():
    """313 is no whole number of 8-endpoint nodes: a radix-8 fabric needs planes, and planes whole nodes."""
    result = runner.invoke(app, ["size", "--endpoints", "313", "--radix", "8", "--max-planes", "4"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no design for 313 endpoints at radix 8: 313 endpoints is not a whole number of 8-endpoint "
        "nodes: multi-plane designs need whole nodes; use 312 or 320 endpoints\n"
    )
    switches = [{"model": "ib-ndr-64x400g", "radix": 8}]
    assert size(req(endpoints=312, switches=switches, max_planes=4)).best.design.counts.num_endpoints == 312
    # a single-plane limit is not a whole-node problem: the radix is
    message = explain_infeasible(req(endpoints=313, switches=switches))
    assert message.endswith("no family fits even with 3 tiers and up to 64 planes; use a larger radix")


def test_infeasible_budget_names_the_cheapest_budget():
    cheapest = size(req(endpoints=2048)).best.design.cost.total_usd
    message = explain_infeasible(req(endpoints=2048, max_cost_usd=1000))
    assert message.endswith(f"smallest relaxation: max_cost_usd={cheapest:,.2f}")


@pytest.mark.parametrize("objective", ["cost", "switches", "cost_per_endpoint"])
def test_deterministic_with_fixed_seed_and_workers(objective):
    def run(workers):
        result = size(req(endpoints=3000, max_planes=4, objective=objective), top=3, workers=workers, seed=7)
        out = []
        for sized in result.designs:
            report = sized.report(result.requirement).as_dict()
            assert "solve_time_s" not in report["sizing"]
            out.append(json.dumps(report, sort_keys=True))
        return out

    first = run(1)
    assert first == run(1) == run(2)
    assert len(set(first)) == 3  # distinct designs


def test_top_k_are_distinct_and_ordered():
    result = size(req(endpoints=5000, max_planes=8), top=4)
    costs = [d.design.cost.total_usd for d in result.designs]
    labels = [d.solution.candidate.label() for d in result.designs]
    assert costs == sorted(costs) and len(set(labels)) == 4


def test_breakout_switch_serves_slower_endpoints_on_more_ports():
    """A 64 x 800G switch used as 128 x 400G holds 8,192 endpoints in two tiers at full bisection."""
    switch = {"name": "x800", "radix": 64, "port_speed_gbps": 800, "price_usd": 90000, "breakouts": [1, 2]}
    best = size(req(endpoints=8192, endpoint_speed_gbps=400, switches=[switch], max_tiers=2, families=["fat_tree"])).best
    assert best.design.switch.radix == 128 and best.design.switch.port_speed_gbps == 400
    assert best.design.counts.num_switches_by_role == {"leaf": 128, "spine": 64}


@pytest.mark.parametrize(("breakouts", "speed"), [([2], 400), ([1, 2], 800), ([2, 1], 800)])
def test_default_endpoint_speed_is_the_fastest_port_of_the_listed_breakouts(breakouts, speed):
    """A switch listed only split in two runs its endpoints at half its port speed (this once asked for the
    unsplit speed, which no listed breakout carries, and refused the requirement)."""
    switch = {"name": "x800", "radix": 64, "port_speed_gbps": 800, "price_usd": 90000, "breakouts": breakouts}
    requirement = req(endpoints=2048, switches=[switch], max_tiers=2, families=["fat_tree"])
    assert requirement.speed_gbps() == speed
    assert size(requirement).best.design.endpoint_speed_gbps == speed


def test_blast_radius_and_spare_ports_hold_in_the_rebuilt_design():
    result = size(req(endpoints=3000, max_blast_radius=16, spare_ports_percent=20, min_bisection_ratio=0.5))
    report = design_report(result.best.design).as_dict()
    switch_losses = [d["endpoints_disconnected"] for d in report["fault_domains"] if d["component"] != "endpoint port" and d["component"] not in ("plane", "pod", "group")]
    assert max(switch_losses) <= 16
    total = report["num_switches"] * report["switch"]["radix"]
    used = report["num_endpoint_links"] + 2 * report["num_switch_links"]
    assert (total - used) / total >= 0.20
    assert report["bisection_ratio"] >= 0.5


# the registry's names as the error lists them: 'fat_tree', ..., 'dragonfly' or 'slim_fly' (a new family joins the list)
FAMILY_CHOICES = ", ".join(repr(name) for name in list(FAMILIES)[:-1]) + f" or {list(FAMILIES)[-1]!r}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"endpoints": 10, "nodes": 2}, "test: endpoints: give exactly one of endpoints or nodes"),
        ({"endpoints": 10, "max_planes": 0}, "test: max_planes: input should be greater than or equal to 1 (got 0)"),
        ({"endpoints": 10, "colour": "red"}, "test: colour: unknown field 'colour'; valid: endpoints, nodes, "
         "endpoints_per_node, endpoint_speed_gbps, switches, families, max_tiers, max_planes, max_ports_per_endpoint, "
         "min_bisection_ratio, max_hops, max_blast_radius, spare_ports_percent, max_cost_usd, max_power_kw, objective, prices"),
        ({"endpoints": 10, "switches": [{"model": "nope"}]}, "test: switches[0].model: unknown switch model 'nope'; valid: ib-ndr-64x400g, qm9700, q3400, sn5600, th5-64x800g, th6-64x1600g, th5-128x400g"),
        ({"endpoints": 10, "endpoint_speed_gbps": 800}, "test: endpoint_speed_gbps: no switch port (after breakout) carries 800 Gb/s; give a faster switch or a lower speed"),
        ({"endpoints": 10, "objective": "speed"}, "test: objective: input should be 'cost', 'switches', 'cost_per_endpoint' or 'power' (got 'speed')"),
        ({"endpoints": 10, "families": ["fat_tree", "torus"]}, f"test: families[1]: input should be {FAMILY_CHOICES} (got 'torus')"),
        ({"endpoints": 10, "families": [3]}, f"test: families[0]: input should be {FAMILY_CHOICES} (got 3)"),
    ],
)
def test_requirement_errors_name_the_field(fields, message):
    with pytest.raises(SpecError) as info:
        parse_requirement(fields, "test")
    assert str(info.value) == message


def test_prices_must_be_whole_cents():
    with pytest.raises(SpecError, match=r"prices.transceiver_usd: 0.001 is not a whole number of cents"):
        size(req(endpoints=100, prices={"transceiver_usd": 0.001}))


# -- CLI -------------------------------------------------------------------------------------------------


def test_cli_design_sizes_when_no_family_is_given():
    result = runner.invoke(app, ["design", "--endpoints", "2048", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["num_switches_by_role"] == {"leaf": 64, "spine": 32}
    assert set(report["sizing"]) >= {"status", "objective", "objective_value", "best_bound", "note"}


def test_cli_design_table_shows_solver_figures():
    result = runner.invoke(app, ["design", "--endpoints", "16384", "--max-tiers", "2", "--max-hops", "2", "--max-planes", "8"])
    assert result.exit_code == 0, result.output
    assert "sizing: optimal, cost 71,710,720 USD (best bound 71,710,720, gap 0.00%)" in result.stdout
    assert "16,384 endpoints on 768 switches (512 leaf, 256 spine)" in result.stdout


def test_cli_infeasible_is_one_line_exit_1(write):
    path = write("req.yaml", "endpoints: 16384\nfamilies: [fat_tree, multiplane_fat_tree]\nmax_tiers: 2\n")
    result = runner.invoke(app, ["design", "--requirement", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no design for 16,384 endpoints at radix 64 meets max_tiers=2")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_cli_requirement_file_error_names_file_and_field(write):
    path = write("req.yaml", "endpoints: 100\nmax_hops: -1\n")
    result = runner.invoke(app, ["design", "--requirement", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: max_hops: input should be greater than or equal to 0 (got -1)\n"


def test_cli_flags_override_the_requirement_file(write):
    path = write("req.yaml", "nodes: 100\nfamilies: [fat_tree]\n")
    result = runner.invoke(app, ["design", "--requirement", str(path), "--endpoints", "2048", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["num_endpoints"] == 2048


def test_cli_top_lists_k_designs():
    result = runner.invoke(app, ["design", "--endpoints", "3000", "--top", "3", "-f", "json"])
    assert result.exit_code == 0, result.output
    designs = json.loads(result.stdout)["designs"]
    assert len(designs) == 3
    assert [d["cost_usd"] for d in designs] == sorted(d["cost_usd"] for d in designs)


def test_cli_top_says_when_fewer_distinct_designs_exist(write):
    """2,000 endpoints in a two-tier full-bisection fat tree on 64 ports: only d = 32 fits (L <= k), so a
    list of 50 holds one design, and the table says why rather than leaving the reader to count."""
    path = write("few.yaml", "endpoints: 2000\nfamilies: [fat_tree]\nmax_tiers: 2\n")
    result = runner.invoke(app, ["size", "--requirement", str(path), "--top", "50"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("only 1 distinct design meets the requirement; 50 were asked for\n")


def test_cli_compare_sizes_each_family():
    result = runner.invoke(app, ["compare", "--endpoints", "10000", "--max-planes", "8", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["family"] for d in data["designs"]] == list(FAMILIES)
    assert all(d["num_endpoints"] >= 10000 for d in data["designs"])
    assert data["infeasible"] == {}
    table = runner.invoke(app, ["compare", "--endpoints", "10000", "--max-hops", "2"])
    assert table.exit_code == 0, table.output
    assert "dragonfly: none: no design for 10,000 endpoints at radix 64 meets max_hops=2" in table.stdout


@pytest.mark.parametrize("path", sorted(REQUIREMENTS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_requirement_file_loads_and_sizes(path):
    requirement = load_requirement(path)
    best = size(requirement).best
    assert best.design.counts.num_endpoints >= requirement.num_endpoints


def test_check_rejects_a_solver_answer_that_disagrees_with_the_rebuilt_design():
    from dataclasses import replace

    from topoctl.optimize.result import SizingCheckError, check

    requirement = req(endpoints=2048)
    best = size(requirement).best
    check(best.design, best.solution, requirement)  # the real answer passes
    for tampered in (
        replace(best.solution, cost_cents=best.solution.cost_cents - 1, objective=best.solution.objective - 1),
        replace(best.solution, size={"leaves": 64, "spines": 31}),
    ):
        with pytest.raises(SizingCheckError, match="fails its check"):
            check(best.design, tampered, requirement)


def test_direct_networks_need_a_proven_bisection():
    # One plane, two tiers, 16,384 endpoints: no fat tree fits. A lopsided dragonfly (a=5, h=37) has an
    # upper-bound cut above full bisection but no proof of it; the answer must carry a proof.
    result = size(req(endpoints=16384, max_tiers=2))
    report = result.best.report(result.requirement).as_dict()
    proof = report["sizing"]["bisection_proof"]
    assert report["family"] == "slim_fly" and proof["lower_bound_ratio"] >= 1
    assert proof["method"].startswith("lower bound: spectral")


def test_top_k_lists_each_built_design_once():
    """Shapes that differ only in ports left unused (k=53, 54, 55 on a 64-port switch) build the same
    switches and cables at the same cost: one entry, the lowest rank, not three."""
    result = size(req(endpoints=1000, max_hops=2, min_bisection_ratio=0.5, max_planes=8), top=3)
    built = [(d.design.topology.family, tuple(sorted(d.design.counts.num_switches_by_role.items())),
              d.solution.candidate.planes, d.design.cost.total_usd) for d in result.designs]
    assert len(built) == 3 and len(set(built)) == 3


def test_power_objective_decides_the_three_tier_construction_too():
    """Under a power objective the decided construction's power is the model's linear expression (unit
    powers in milliwatts, NICs a constant): the 811-switch tree, 1,027.177 kW, below the best leaf-split
    tree (k = 62, 1,064.089 kW); the table names the unit and the check rebuilds the same power."""
    result = runner.invoke(app, ["size", "--endpoints", "10000", "--max-planes", "1", "--objective", "power"])
    assert result.exit_code == 0, result.output
    assert "on 811 switches (315 edge, 336 aggregation, 160 core)" in result.stdout
    assert "sizing: optimal, power 1,027.177 kW" in result.stdout


def test_an_enumeration_the_deadline_ends_keeps_the_ranked_shapes_found_before_it():
    from topoctl.errors import SizingTimeLimitError
    from topoctl.optimize.candidates import enumerate_candidates, enumerate_until
    from topoctl.topologies.sizing import Deadline

    def passing_after(checks: int) -> Deadline:
        seen = []

        class Counted(Deadline):
            def remaining_s(self) -> float:
                seen.append(1)
                return 1.0 if len(seen) <= checks else -1.0

        return Counted(0.0, 1.0)

    req = parse_requirement({"endpoints": 1000}, "t")
    every = enumerate_candidates(req)
    whole = enumerate_until(req, Deadline.after(300))
    assert whole.complete and whole.candidates == every and whole.stopped == ""
    with pytest.raises(SizingTimeLimitError, match="time limit while enumerating"):
        enumerate_until(req, passing_after(0))  # passed before the first shape: nothing to answer with
    cut = enumerate_until(req, passing_after(40))
    assert not cut.complete and cut.stopped.startswith("enumerating ")
    assert 0 < len(cut.candidates) < len(every) and cut.candidates == every[:len(cut.candidates)]


def test_a_radix_of_thousands_answers_within_a_short_time_limit(tmp_path):
    """The issue's case: a custom 3,019-port switch with breakouts [1, 2] ran past 90 s at --time-limit 0.05.
    Now the enumeration stops in time, the whole radix comes first, and the answer rebuilds exactly (a leaf
    split such as 1665:1354 reads back from its ratio on any radix)."""
    path = tmp_path / "r.yaml"
    path.write_text("endpoints: 5000\nswitches:\n  - {name: big, radix: 3019, port_speed_gbps: 400, price_usd: 100000,"
                    " breakouts: [1, 2]}\n")
    result = runner.invoke(app, ["design", "--requirement", str(path), "--time-limit", "0.05", "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sizing"]["status"] == "feasible" and "enumeration_stopped" in report["sizing"]
    assert report["parameters"]["k"] >= 3000 and report["num_endpoints"] == 5000


@pytest.mark.parametrize("endpoints, radix", [(64, 6), (128, 8), (512, 12)])
def test_cost_per_endpoint_with_a_decided_tree_keeps_the_model_within_64_bits(endpoints, radix):
    """A decided construction's cost per endpoint was bounded by 2^62/N, whose product with N plus the cost
    passed CP-SAT's 64-bit check at power-of-two N (an internal error); it is bounded by its cost now."""
    req = parse_requirement({"endpoints": endpoints, "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
                             "families": ["fat_tree"], "objective": "cost_per_endpoint", "min_bisection_ratio": 0},
                            "t")
    best = size(req).best
    assert best.stats.status == "optimal" and best.design.counts.num_endpoints == endpoints


def test_whole_node_sizes_are_named_only_when_they_admit_a_design():
    """100 endpoints at radix 6 fit no family; 96 and 104 do not either, so the whole-node explanation (which a
    decided tree without a starting point used to admit) is not given."""
    req = parse_requirement({"endpoints": 100, "switches": [{"model": "ib-ndr-64x400g", "radix": 6}],
                             "families": ["fat_tree"], "min_bisection_ratio": 0}, "t")
    message = explain_infeasible(req)
    assert "whole number" not in message and "use a larger radix" in message


def test_rail_only_rails_of_three_tiers_are_constructions_the_solver_decides():
    """80,000 GPUs in rails of 8-GPU domains, 64-port switches: 4 rails of 20,000, each the construction of
    1,622 switches (21 pods of 30 edges and 32 aggregation switches; 32 groups of 10 cores), 6,488 switches
    in all, where the best leaf-split rails take 6,856 (8 rails at k = 62); rebuilt and checked by size()."""
    req = parse_requirement({"endpoints": 80_000, "families": ["rail_only"], "max_planes": 8}, "t")
    best = size(req).best
    assert best.stats.status == "optimal"
    assert best.design.counts.num_switches == 6_488 and best.design.topology.rails() == 4
    assert best.design.topology.parameters()["construction"]["pods"] == 21


def test_the_note_counts_in_words_that_agree_with_the_numbers():
    """One endpoint on one switch reads so, and a design whose one role is named "switch" lists no roles."""
    assert size(req(endpoints=1)).best.note().startswith("1 endpoint on 1 switch; ")
    note = size(req(endpoints=2000, families=["hyperx"])).best.note()
    assert note.startswith("2,") and " switches; " in note and "switch)" not in note


def test_a_price_alone_keeps_the_catalog_switch_with_its_cages():
    """A negotiated price on a catalog switch is that switch at that price: its twin-port cages (and so its
    cable classes, modules and port names) stay the catalog's, in sizing and in the design it rebuilds; the
    saved spec names the model, its breakout and the price."""
    req = parse_requirement({"endpoints": 4096, "switches": [{"model": "qm9700", "price_usd": 25000}]}, "test")
    best = size(req).best
    switch = best.design.switch
    assert (switch.name, switch.ports_per_cage, switch.price_usd, switch.port_name(3)) == ("qm9700", 2, 25000, "p2/1")
    spec = best.spec(req)
    assert (spec.switch.model, spec.switch.breakout, spec.switch.price_usd) == ("qm9700", 2, 25000)
    catalog = size(parse_requirement({"endpoints": 4096, "switches": [{"model": "qm9700"}]}, "test")).best
    assert best.design.counts == catalog.design.counts  # the same tree, cheaper by its switches only
    assert catalog.design.cost.total_usd - best.design.cost.total_usd == best.design.counts.num_switches * 7000
    spec_only = resolve(DesignSpec(family="fat_tree", parameters={"k": 64, "tiers": 2, "endpoints": 2048},
                                   switch=SwitchSpec(model="sn5600", breakout=2, price_usd=40000)))
    assert (spec_only.switch.ports_per_cage, spec_only.switch.port_name(2), spec_only.switch.price_usd) == (
        2, "swp1s1", 40000)


def test_a_decided_candidate_that_finds_nothing_in_time_answers_its_start(monkeypatch):
    """A decided candidate's closed-form start is completed into a solution of its model before the solve
    (optimize.model._completed_start): when the solve then finds nothing in its time (here starved of it),
    the start is the answer, feasible and not proven, instead of no design."""
    from topoctl.optimize.model import _cp_model, _solve_model
    from topoctl.optimize.result import _model_candidates

    req = parse_requirement({"endpoints": 10000, "max_planes": 1, "families": ["fat_tree"]}, "test")
    decided = next(c for c in _model_candidates(req).candidates if c.decided)
    cp_model = _cp_model()
    solve, calls = cp_model.CpSolver.solve, []

    def starved(self, model, *args, **kwargs):
        calls.append(model)
        if len(calls) > 1:  # the first completes the start; the search after it gets no time
            self.parameters.max_time_in_seconds = 1e-9
        return solve(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", starved)
    found, stats = _solve_model([decided], req, None, 10.0, 1, 0)
    assert found is not None and found.size == decided.size
    assert found.cost_cents == decided.cost_cents == stats.objective and stats.status == "feasible"


def test_a_one_group_dragonfly_on_288_ports_is_proven_the_cheapest():
    """10,000 endpoints on q3400 as 288 x 400G: one group of 141 routers of 71 endpoints (K_141, whose cut
    meets full bisection), $21,998,820, proven optimal. A one-group row is kept only where its own cut meets
    the ratio (Dragonfly.shape_bounds): before, ten thousand one-group rows that could not kept the search
    from any answer of its own in 10 s."""
    req = parse_requirement({"endpoints": 10000, "switches": [{"model": "q3400", "breakouts": [2]}],
                             "families": ["dragonfly"]}, "test")
    best = size(req).best
    assert best.stats.status == "optimal" and best.stats.objective == 2_199_882_000
    assert best.design.topology.parameters()["g"] == 1 and best.design.counts.num_switches == 141
    assert design_report(best.design).bisection.ratio >= 1
