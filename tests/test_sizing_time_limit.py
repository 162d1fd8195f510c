"""Sizing when the time limit passes after something was found: the answer is what was found, said to be
cut short (--top K, a comparison, an explanation of infeasibility, a sweep point); an error only when
nothing was. The limit is made to pass by a scripted deadline, never by the machine's speed: it says
300 s remain until the test's trigger fires, then that the limit has passed."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.errors import SizingTimeLimitError, SpecError
from topoctl.optimize import parse_requirement, result, size
from topoctl.optimize.model import SolveStats
from topoctl.optimize.result import explain_infeasible, size_each_family
from topoctl.topologies.sizing import Deadline

runner = CliRunner()
TOP5 = ("--endpoints", "10000", "--top", "5", "--time-limit", "0.3")
INFEASIBLE = {"endpoints": 16384, "max_tiers": 2, "families": ["fat_tree", "multiplane_fat_tree"]}


def run(*args: str):
    return runner.invoke(app, list(args))


def assert_one_line_error(outcome: Any, text: str) -> None:
    assert outcome.exit_code == 1, outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    assert outcome.stderr.startswith(f"Error: {text}") and outcome.stderr.count("\n") == 1, outcome.stderr
    assert "Traceback" not in outcome.output


class Trigger:
    """When the scripted deadline passes: ``passed`` set by the test's hook (or from the start); each new
    deadline (each command) starts again from ``initially``, with no designs ``checked``."""

    def __init__(self, passed: bool = False) -> None:
        self.initially = passed
        self.passed = passed
        self.checked = 0

    def restart(self) -> None:
        self.passed, self.checked = self.initially, 0


def scripted_deadline(monkeypatch: pytest.MonkeyPatch, trigger: Trigger) -> None:
    """Every Deadline.after(seconds) made while the test runs reports ``seconds`` as its limit and has 300 s
    left until ``trigger.passed``, then none (the clock is never read)."""

    class Scripted(Deadline):
        def remaining_s(self) -> float:
            return -1.0 if trigger.passed else 300.0

        def portion(self, fraction: float) -> Deadline:  # the enumeration's share passes with the whole
            return self

    def after(cls: type[Deadline], seconds: float) -> Deadline:
        trigger.restart()
        return Scripted(0.0, seconds)

    monkeypatch.setattr(Deadline, "after", classmethod(after))


def pass_after_designs(monkeypatch: pytest.MonkeyPatch, count: int) -> Trigger:
    """A scripted deadline that passes once ``count`` designs were checked against their rebuild."""
    trigger = Trigger()
    original = result.check

    def check(*args: Any) -> None:
        original(*args)
        trigger.checked += 1
        trigger.passed = trigger.checked >= count

    monkeypatch.setattr(result, "check", check)
    scripted_deadline(monkeypatch, trigger)
    return trigger


def checked_before_the_first_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """The enumeration reads the deadline before its first shape (some families yield one or two shapes
    before their first reading), so a deadline that has passed leaves no shape at all."""
    original = result.enumerate_until

    def enumerate_until(req: Any, deadline: Deadline, **kwargs: Any) -> Any:
        deadline.check("enumerating the first shape")
        return original(req, deadline, **kwargs)

    monkeypatch.setattr(result, "enumerate_until", enumerate_until)


def solver_out_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every solve ends at the limit without a design (CP-SAT's UNKNOWN)."""
    monkeypatch.setattr(result, "solve", lambda candidates, *a, **k: (None, SolveStats("unknown", None, None, 0.3,
                                                                                          len(candidates))))


@pytest.fixture(scope="module")
def uncut() -> dict[str, Any]:
    """`size --top 5` with time to spare: five designs, no cut_short."""
    outcome = run("size", "--endpoints", "10000", "--top", "5", "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert len(data["designs"]) == 5 and "cut_short" not in data
    return data


@pytest.mark.parametrize("command", ["size", "design"])
def test_top_k_cut_short_by_the_time_limit_lists_the_designs_found(monkeypatch, uncut, command):
    """The issue: the limit passing after the first designs ended in an Error. Now the two designs found are
    the answer (the same two as with time to spare, still proven optimal), exit 0, and the output says 2 of
    5 were found and why."""
    pass_after_designs(monkeypatch, 2)
    outcome = run(command, *TOP5, "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert data["cut_short"] == {"requested": 5, "found": 2,
                                 "reason": "the 0.3 s time limit passed before design 3 was solved"}
    assert data["designs"] == uncut["designs"][:2]
    assert [d["sizing"]["status"] for d in data["designs"]] == ["optimal", "optimal"]


def test_cut_short_is_said_in_every_output_format(monkeypatch):
    pass_after_designs(monkeypatch, 1)
    table = run("size", *TOP5)
    assert table.exit_code == 0, table.output
    line = ("cut short: 1 of 5 designs found; the 0.3 s time limit passed before design 2 was solved "
            "(raise --time-limit for the rest)")
    assert table.stdout.startswith(f"{line}\n#1 of 1\n")
    assert table.stdout.count("cut short:") == 1  # one design: the line is not repeated below it
    yaml_out = run("size", *TOP5, "-f", "yaml")
    assert yaml_out.exit_code == 0, yaml_out.output
    assert yaml_out.stdout.endswith("cut_short:\n  requested: 5\n  found: 1\n  reason: the 0.3 s time limit passed "
                                    "before design 2 was solved\n")


def test_a_long_cut_short_list_says_so_before_and_after_the_designs(monkeypatch):
    pass_after_designs(monkeypatch, 2)
    table = run("size", *TOP5)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].startswith("cut short: 2 of 5 designs found;") and lines[-1] == lines[0]
    assert "#1 of 2" in lines and "#2 of 2" in lines


def test_the_solver_running_out_of_time_on_a_later_design_ends_the_list_there(monkeypatch, uncut):
    """The solve for design 3 ends at the limit without a design (status unknown): designs 1 and 2 stand."""
    calls = []
    original = result.solve

    def solve(candidates: list[Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            return original(candidates, *args, **kwargs)
        return None, SolveStats("unknown", None, None, 0.3, len(candidates))

    monkeypatch.setattr(result, "solve", solve)
    scripted_deadline(monkeypatch, Trigger())
    outcome = run("size", *TOP5, "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert data["cut_short"] == {"requested": 5, "found": 2,
                                 "reason": "the 0.3 s time limit passed while solving for design 3"}
    assert data["designs"] == uncut["designs"][:2]


def test_an_enumeration_cut_short_ends_the_list_when_its_shapes_run_out(monkeypatch):
    """The limit ended the enumeration of shapes; the shapes found hold two designs (the third solve proves
    none is left among them). Shapes never enumerated may hold more: the list is cut short, not complete."""
    original_enumerate, original_solve, calls = result.enumerate_until, result.solve, []

    def enumerate_until(req: Any, deadline: Any, **kwargs: Any) -> Any:
        out = original_enumerate(req, deadline, **kwargs)
        return result.Enumeration(out.candidates, complete=False, stopped="enumerating the last shape")

    def solve(candidates: list[Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            return original_solve(candidates, *args, **kwargs)
        return None, SolveStats("infeasible", None, None, 0.0, len(candidates))

    monkeypatch.setattr(result, "enumerate_until", enumerate_until)
    monkeypatch.setattr(result, "solve", solve)
    scripted_deadline(monkeypatch, Trigger())
    outcome = run("size", *TOP5, "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert data["cut_short"] == {"requested": 5, "found": 2, "reason": "the 0.3 s time limit ended the "
                                 "enumeration of shapes while enumerating the last shape"}
    assert [d["sizing"]["status"] for d in data["designs"]] == ["feasible", "feasible"]  # not proven: shapes unseen
    assert all(d["sizing"]["enumeration_stopped"] == "enumerating the last shape" for d in data["designs"])


def test_no_design_before_the_limit_is_one_error_line(monkeypatch):
    checked_before_the_first_shape(monkeypatch)
    scripted_deadline(monkeypatch, Trigger(passed=True))
    assert_one_line_error(run("size", *TOP5), "sizing passed its 0.3 s time limit while enumerating the first "
                          "shape; narrow the request")


def test_a_solver_out_of_time_answers_with_the_best_shape_by_its_closed_forms(monkeypatch):
    """Every shape enumerated, but the solver found no design in the time left: the best shape whose closed
    forms meet the requirement (the k=62 tree's 857 switches; the solver's 811 needs the decided tree) is
    rebuilt, checked and listed as feasible, said to be picked by its closed forms."""
    solver_out_of_time(monkeypatch)
    scripted_deadline(monkeypatch, Trigger())
    outcome = run("size", *TOP5, "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    (best,) = data["designs"]
    assert best["num_switches"] == 857 and best["parameters"]["k"] == 62
    assert best["sizing"]["status"] == "feasible" and best["sizing"]["best_bound"] is None
    assert best["sizing"]["picked_by_closed_forms"] is True and "enumeration_stopped" not in best["sizing"]
    assert data["cut_short"] == {"requested": 5, "found": 1,
                                 "reason": "the 0.3 s time limit passed while solving for design 2"}
    table = run("size", "--endpoints", "10000", "--time-limit", "0.3")
    assert table.exit_code == 0, table.output
    assert ("not solved: the solver found no design before the time limit; this is the best shape by its closed "
            "forms, rebuilt and checked") in table.stdout.replace("\n", " ")


@pytest.mark.parametrize("fields", [
    {"endpoints": 1000, "objective": "cost_per_endpoint"},
    {"endpoints": 10000, "objective": "power", "max_power_kw": 1100},
    {"endpoints": 5000, "max_hops": 3, "max_planes": 8},
    {"endpoints": 3000, "min_bisection_ratio": 0.5, "spare_ports_percent": 10},
])
def test_a_shape_picked_by_its_closed_forms_passes_the_independent_check(monkeypatch, fields):
    """The pick is rebuilt and checked like a solver's answer (cost, switches per role, endpoints, objective
    and every constraint from the rebuilt report), and is never better than the solver's optimum."""
    req = parse_requirement(fields, "t")
    optimum = size(req).best
    solver_out_of_time(monkeypatch)
    picked = size(req).best
    assert picked.stats.closed_form and picked.stats.status == "feasible"
    assert picked.solution.objective >= optimum.solution.objective
    assert not picked.solution.candidate.decided


def test_no_shape_meeting_the_requirement_by_its_closed_forms_is_one_error_line(monkeypatch):
    """The solver found nothing in time and no enumerated shape's closed forms meet the requirement."""
    solver_out_of_time(monkeypatch)
    monkeypatch.setattr(result, "_closed_form_pick", lambda *args: None)
    scripted_deadline(monkeypatch, Trigger())
    assert_one_line_error(run("size", *TOP5), "no design found within the 0.3 s time limit; allow more time")


def test_an_enumeration_cut_short_says_whether_the_solver_had_time(monkeypatch):
    """Shapes enumerated before the limit and none solved in time: the error no longer claims that none of
    them meets the requirement, which was not proven."""
    trigger = Trigger()
    original = result.enumerate_until

    def enumerate_until(req: Any, deadline: Any, **kwargs: Any) -> Any:
        out = original(req, deadline, **kwargs)
        trigger.passed = True
        return result.Enumeration(out.candidates[:5], complete=False, stopped="enumerating the sixth shape")

    monkeypatch.setattr(result, "enumerate_until", enumerate_until)
    monkeypatch.setattr(result, "solve", lambda candidates, *a, **k: (None, SolveStats("unknown", None, None, 0.3, 5)))
    scripted_deadline(monkeypatch, trigger)
    assert_one_line_error(run("size", *TOP5), "sizing passed its 0.3 s time limit while enumerating the sixth "
                          "shape, and no design was found in the time left; narrow the request")


def test_fewer_designs_than_asked_without_the_limit_biting_are_not_cut_short(tmp_path):
    """2,048 endpoints on one two-tier tree of 64 ports: one distinct design exists, so --top 50 lists it
    alone, and not as cut short (the same bytes every run)."""
    path = tmp_path / "req.yaml"
    path.write_text("endpoints: 2048\nfamilies: [fat_tree]\nmax_tiers: 2\n")
    args = ("size", "--requirement", str(path), "--top", "50", "-f", "json")
    outcome = run(*args)
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert len(data["designs"]) == 1 and "cut_short" not in data
    assert run(*args).stdout == outcome.stdout


def passing_after(checks: int) -> Deadline:
    """A deadline that passes after ``checks`` readings (the enumeration reads it once per step)."""
    seen: list[int] = []

    class Counted(Deadline):
        def remaining_s(self) -> float:
            seen.append(1)
            return 1.0 if len(seen) <= checks else -1.0

    return Counted(0.0, 1.0)


def test_an_explanation_the_limit_cuts_short_gives_the_relaxations_found_by_then():
    req = parse_requirement(INFEASIBLE, "t")
    whole = explain_infeasible(req)
    assert whole.endswith("smallest relaxation: max_tiers=3 or max_planes=8 or families including dragonfly")
    part = explain_infeasible(req, passing_after(400))
    assert part == ("no design for 16,384 endpoints at radix 64 meets max_tiers=2, max_planes=1, "
                    "families=fat_tree,multiplane_fat_tree; a relaxation that admits a design: max_tiers=3 or "
                    "max_planes=8 or families including dragonfly (perhaps not the smallest: the 1 s time limit "
                    "passed while enumerating rail-optimized shapes (3 tiers); raise --time-limit for the smallest)")
    assert explain_infeasible(req, passing_after(0)) == (
        "no design for 16,384 endpoints at radix 64 meets the requirement; the 1 s time limit passed while "
        "enumerating fat-tree shapes (2 tiers, 1 planes, k=64), before a relaxation that admits a design was found; "
        "raise --time-limit to see the smallest relaxation")


def test_proven_infeasible_stays_infeasible_when_the_limit_passes_while_explaining(monkeypatch, tmp_path):
    """The solver proved the request infeasible; the explanation then ran out of time. Before, that was a
    time-limit error; now it is the infeasibility, one line, saying the explanation was cut short."""
    trigger = Trigger()
    original = result.explain_infeasible

    def explain(*args: Any) -> str:
        trigger.passed = True
        return original(*args)

    monkeypatch.setattr(result, "explain_infeasible", explain)
    scripted_deadline(monkeypatch, trigger)
    path = tmp_path / "req.yaml"
    path.write_text("endpoints: 16384\nfamilies: [fat_tree, multiplane_fat_tree]\nmax_tiers: 2\n")
    assert_one_line_error(run("size", "--requirement", str(path), "--time-limit", "0.3"),
                          "no design for 16,384 endpoints at radix 64 meets the requirement; the 0.3 s time limit "
                          "passed while enumerating fat-tree shapes (2 tiers, 1 planes, k=64), before a relaxation")


def test_a_comparison_keeps_the_families_sized_before_the_limit(monkeypatch):
    """The limit passes after the first family's design: that design stands; no later family is started
    (the limit bounds the whole comparison) and each is timed_out, not infeasible."""
    pass_after_designs(monkeypatch, 1)
    outcome = run("compare", "--endpoints", "10000", "--time-limit", "0.3", "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert [d["family"] for d in data["designs"]] == ["fat_tree"]
    assert data["designs"][0]["sizing"]["status"] == "optimal"
    assert data["infeasible"] == {}
    families = [name for name in parse_requirement({"endpoints": 10000}, "t").families if name != "fat_tree"]
    assert sorted(data["timed_out"]) == sorted(families)
    assert set(data["timed_out"].values()) == {"sizing passed its 0.3 s time limit while sizing the families "
                                               "before it; narrow the request (a smaller radix, fewer --max-planes "
                                               "or --max-ports-per-endpoint) or raise --time-limit"}
    table = run("compare", "--endpoints", "10000", "--time-limit", "0.3")
    assert table.exit_code == 0, table.output
    assert "dragonfly: not sized: sizing passed its 0.3 s time limit while " in table.stdout


def test_a_comparison_explains_infeasible_families_after_sizing_every_family(monkeypatch):
    """Explaining an infeasible family weighs every family's shapes; it waits until every family is sized,
    so it never takes a design's time. Here the limit passes as the first explanation starts: every
    feasible family still has its design and the infeasible ones say the explanation was cut short."""
    trigger = Trigger()
    original = result.explain_infeasible

    def explain(*args: Any) -> str:
        trigger.passed = True
        return original(*args)

    monkeypatch.setattr(result, "explain_infeasible", explain)
    scripted_deadline(monkeypatch, trigger)
    rows = size_each_family(parse_requirement({"endpoints": 10000}, "t"), time_limit_s=0.3)
    unexplained = [row for row in rows if row.design is None]
    assert not any(row.timed_out for row in rows) and len(unexplained) == 2
    assert all("before a relaxation that admits a design was found" in row.why for row in unexplained)
    assert len([row for row in rows if row.design is not None]) == len(rows) - 2


def test_no_family_sized_in_time_is_one_error_line(monkeypatch):
    scripted_deadline(monkeypatch, Trigger(passed=True))
    checked_before_the_first_shape(monkeypatch)
    assert_one_line_error(run("compare", "--endpoints", "10000", "--time-limit", "0.3"),
                          "no allowed family gave a design within the time limit: fat_tree: sizing passed its 0.3 s")


def test_a_sweep_point_the_limit_ends_is_timed_out_not_infeasible(monkeypatch):
    from topoctl.sweep import SweepSettings, run_point

    scripted_deadline(monkeypatch, Trigger(passed=True))
    checked_before_the_first_shape(monkeypatch)
    row = run_point(SweepSettings(time_limit_s=0.3), (False, {"family": "fat_tree", "endpoints": 1000}))
    assert row["status"] == "timed_out" and row["reason"].startswith("sizing passed its 0.3 s time limit")
    table = runner.invoke(app, ["sweep", "--endpoints", "1000", "--families", "fat_tree", "--jobs", "1",
                                "--time-limit", "0.3"], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert "timed out [1]" in table.stdout and "[1] sizing passed its 0.3 s time limit" in table.stdout


@pytest.mark.parametrize("seconds", [0.0, -1.0, math.nan, math.inf])
def test_the_library_refuses_what_is_not_a_time_limit(seconds):
    req = parse_requirement({"endpoints": 100}, "t")
    calls: list[Callable[[], Any]] = [lambda: size(req, time_limit_s=seconds),
                                      lambda: size_each_family(req, time_limit_s=seconds)]
    for call in calls:
        with pytest.raises(SpecError, match=r"^time_limit_s: .* is not a time limit; give a finite number of seconds"):
            call()


@pytest.mark.parametrize("args", [("--seed", "2147483647"), ("--seed", "0"), ("--time-limit", "86400")])
def test_extreme_seed_and_time_limit_values_give_the_same_answer(args):
    """Where the limit does not bite, any seed and the longest limit give the same bytes as the defaults."""
    base = ("size", "--endpoints", "10000", "--top", "3", "-f", "json")
    default = run(*base)
    assert default.exit_code == 0, default.output
    assert run(*base, *args).stdout == default.stdout


def test_a_tiny_time_limit_answers_or_says_so_in_one_line():
    """0.01 s, the least the flag takes: an answer (possibly cut short) or one Error line, whatever the load."""
    outcome = run("size", "--endpoints", "10000", "--top", "5", "--time-limit", "0.01", "-f", "json")
    if outcome.exit_code == 0:
        data = json.loads(outcome.stdout)
        assert data["designs"] and ("cut_short" in data or len(data["designs"]) == 5)
    else:
        assert_one_line_error(outcome, "")
        assert "time limit" in outcome.stderr
    assert run("size", "--endpoints", "10", "--time-limit", "0").exit_code == 2


def test_the_time_limit_error_class_is_raised_with_what_was_interrupted(monkeypatch):
    scripted_deadline(monkeypatch, Trigger(passed=True))
    checked_before_the_first_shape(monkeypatch)
    with pytest.raises(SizingTimeLimitError) as info:
        size(parse_requirement({"endpoints": 10000}, "t"), top=5, time_limit_s=0.3)
    assert info.value.what == "enumerating the first shape"
