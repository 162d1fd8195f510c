"""``topoctl export`` in-process: messages, exact error text, atomic writes, design YAML as a SPEC."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.export.run import export
from topoctl.physical import ports

from export_cases import SMALL_DESIGNS, small_job

runner = CliRunner()
TABLE3 = Path(__file__).resolve().parent.parent / "specs" / "deepseek-v3-table3.yaml"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def ft3_spec(tmp_path: Path) -> Path:
    path = tmp_path / "ft3.yaml"
    path.write_text(yaml.safe_dump(SMALL_DESIGNS["ft3"]))
    return path


def test_export_from_spec(ft3_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = run("export", ft3_spec, "--format", "cabling", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: cabling, 48 cables\n"
    assert len(out.read_text().splitlines()) == 49


def test_export_from_design_flags_equals_spec(ft3_spec: Path, tmp_path: Path) -> None:
    run("export", ft3_spec, "-f", "cabling", "-o", tmp_path / "a.csv")
    result = run("export", "--family", "fat_tree", "--param", "k=4", "--tiers", "3", "--name", "ft3",
                 "-f", "cabling", "-o", tmp_path / "b.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_design_yaml_round_trips_through_the_cli(ft3_spec: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    assert run("export", ft3_spec, "-f", "design", "-o", first, "--layout", "rack_units=12").exit_code == 0
    result = run("export", first, "-f", "design", "-o", second)
    assert result.exit_code == 0, result.output
    assert second.read_bytes() == first.read_bytes()
    # the design YAML is a valid SPEC for the other commands too
    result = run("design", first, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["num_switches"] == 20
    assert run("validate", first).output == f"ok: {first}: 1 design\n"


def test_pick_a_design_from_a_set(tmp_path: Path) -> None:
    out = tmp_path / "ft2.csv"
    result = run("export", TABLE3, "--design", "FT2", "-f", "cabling", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: cabling, 4,096 cables\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--design", "SF", "-f", "cabling"),
         "design 'SF' is formula-only, so it has no cables to export: q=28 is not a prime power, so no MMS graph "
         "exists; nearest valid: 27, 29"),
        (("-f", "cabling"),
         f"{TABLE3}: holds a set of designs; pick one with --design NAME: FT2, MPFT, FT3, SF, DF"),
        (("--design", "FT9", "-f", "dot"),
         f"{TABLE3}: has no design 'FT9'; pick one with --design NAME: FT2, MPFT, FT3, SF, DF"),
        (("--design", "DF", "-f", "containerlab", "--subset", "pod=1"),
         "--subset: pod= does not apply to this dragonfly design (no switch has a pod); use switches=N"),
        (("--design", "DF", "-f", "containerlab", "--subset", "group=511"),
         "--subset: group=511 does not exist; valid: 0 to 510"),
        (("--design", "DF", "-f", "containerlab", "--subset", "rack=1"),
         "--subset: 'rack=1' is not a selector; use plane=N, pod=N, group=N, switches=N, comma-separated"),
        (("--design", "FT2", "-f", "cabling", "--subset", "switches=3"),
         "--subset applies to containerlab, air only, not cabling"),
        (("--design", "FT2", "-f", "dot", "--switch-os", "sonic"),
         "--switch-os applies to containerlab, air only, not dot"),
        (("--design", "FT2", "-f", "air", "--switch-os", "srlinux"),
         "--switch-os srlinux is not offered for air; valid: cumulus, sonic"),
        (("--design", "FT2", "-f", "containerlab", "--subset", "switches=4"),
         "containerlab kind sonic-vs maps 32 data ports, but switch leaf-0 has 35 cabled ports in this lab; pick a "
         "smaller --subset or --no-endpoints; or --switch-os eos (no port limit)"),
        (("--design", "FT2", "-f", "booksim", "--subset", "switches=3"),
         "--subset applies to containerlab, air only, not booksim"),
        (("--design", "FT2", "-f", "dot", "--layout", "rack_units=0"),
         "--layout: rack_units: must be a whole number from 1 to 100 (got 0)"),
    ],
)
def test_errors_are_one_line(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = run("export", TABLE3, *args, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_is_an_error(ft3_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "plan.csv"
    result = run("export", ft3_spec, "-f", "cabling", "-o", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: the directory {out.parent} does not exist\n"


def test_unknown_format_is_a_usage_error(ft3_spec: Path, tmp_path: Path) -> None:
    assert run("export", ft3_spec, "-f", "excel", "-o", tmp_path / "x").exit_code == 2


def test_failed_export_leaves_the_earlier_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job = small_job("ft2")
    out = tmp_path / "plan.csv"
    out.write_text("earlier plan\n")
    original = ports.PortPlan.cables

    def broken(self):  # fails half-way through the stream
        for number, cable in enumerate(original(self)):
            if number == 5:
                raise RuntimeError("disk full")
            yield cable

    monkeypatch.setattr(ports.PortPlan, "cables", broken)
    for fmt in ("cabling", "design", "dot", "graphml", "node-link", "containerlab", "air"):
        with pytest.raises(RuntimeError):
            export(job, fmt, out)
        assert out.read_text() == "earlier plan\n"
    with pytest.raises(RuntimeError):
        export(job, "netbox", tmp_path / "netbox")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]  # no temporary left behind


def test_netbox_directory_is_replaced_whole(tmp_path: Path) -> None:
    job = small_job("df")
    target = tmp_path / "netbox"
    target.mkdir()
    (target / "07-cables.yaml").write_text("old\n")  # an earlier export, partly deleted by hand
    export(job, "netbox", target)
    assert (target / "07-cables.yaml").read_text() != "old\n" and len(list(target.iterdir())) == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netbox"]


def test_design_shows_length_aware_cost_beside_count_based() -> None:
    result = run("design", "--family", "fat_tree", "--param", "k=4", "--cost-lengths", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["cost_method"] == "counts x unit prices (no cable lengths)"
    assert report["cost_length_aware_method"].startswith("cabling plan")
    assert sum(report["num_cables_by_class"].values()) == report["num_endpoint_links"] + report["num_switch_links"]
    assert report["cost_length_aware_usd"] == pytest.approx(sum(report["cost_length_aware_breakdown_usd"].values()))


def test_progress_reports_every_cable(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    job = small_job("df-parallel")
    job.progress = lambda done, total: calls.append((done, total))
    export(job, "cabling", tmp_path / "plan.csv")
    total = job.design.counts.num_endpoint_links + job.design.counts.num_switch_links
    assert sum(done for done, _ in calls) == total and {t for _, t in calls} == {total}


def test_reloading_a_design_yaml_reads_only_its_spec(ft3_spec: Path, tmp_path: Path) -> None:
    """The derived section (cables last) is not parsed on load: a damaged cable list does not matter."""
    from topoctl.export.source import load_spec
    from topoctl.spec import load_yaml

    path = tmp_path / "ft3-design.yaml"
    assert run("export", ft3_spec, "-f", "design", "-o", path, "--layout", "node_u=3").exit_code == 0
    path.write_text(path.read_text() + "  - [unclosed\n")
    spec = load_spec(path)
    assert spec.pop("generated")["layout"]["node_u"] == 3
    assert spec == SMALL_DESIGNS["ft3"]
    assert load_yaml(path) == {**SMALL_DESIGNS["ft3"]}


def test_unwritable_directory_is_an_error(ft3_spec: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        result = run("export", ft3_spec, "-f", "cabling", "-o", locked / "plan.csv")
        assert result.exit_code == 1
        assert result.output == f"Error: {locked / 'plan.csv'}: cannot write: Permission denied\n"
    finally:
        locked.chmod(0o700)


def test_write_failure_becomes_an_error(ft3_spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk (or any OSError while writing) is one Error line, and nothing is left behind."""
    import topoctl.export.cabling as cabling

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cabling.csv, "writer", full)
    result = run("export", ft3_spec, "-f", "cabling", "-o", tmp_path / "plan.csv")
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'plan.csv'}: cannot write: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ft3.yaml"]


def test_a_default_lab_keeps_a_pod_connected_when_its_spines_overflow_the_ports(tmp_path):
    """Pods of 15 edges with 2 cables to each of 16 aggregation switches (32 up), which have 30 cables to
    cores: with the cores an aggregation switch needs 60 of sonic-vs's 32 ports, so the default slice is
    the pod alone, connected, every switch within 32 ports."""
    construction = ("construction={pods: 2, edges_per_pod: 15, aggregations_per_pod: 16, edge_aggregation_links: 2, "
                    "cores_per_group: 10, aggregation_core_links: 3}")
    out = tmp_path / "lab.clab.yml"
    result = runner.invoke(app, ["export", "--family", "fat_tree", "--radix", "64", "--param", "tiers=3",
                                 "--param", "endpoints=60", "--param", construction, "--format", "containerlab",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    lab = yaml.safe_load(out.read_text())
    links = [link["endpoints"] for link in lab["topology"]["links"]]
    fabric = [(a, b) for a, b in links if not a.startswith("node-") and not b.startswith("node-")]
    assert len(fabric) == 15 * 16 * 2  # every edge-aggregation cable of pod 0
    ports: dict[str, int] = {}
    for end in (e for link in links for e in link):
        device = end.split(":")[0]
        ports[device] = ports.get(device, 0) + 1
    assert max(count for device, count in ports.items() if not device.startswith("node-")) <= 32
