"""Every export format for every family: golden files, and each file read back by its real consumer
(ansible-inventory, containerlab's JSON schema, NetBox's required import fields, csv, yaml); the other
consumers (IBDM, BookSim2, SimAI, networkx, NVIDIA Air) are in test_export_consumers.py."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
import yaml

from topoctl.export.bom import bill_of_materials
from topoctl.export.cabling import HEADER
from topoctl.export.containerlab import select_switches
from topoctl.export.job import ExportJob
from topoctl.export.netbox import FILES
from topoctl.export.run import export
from topoctl.export.source import job_from_raw
from topoctl.physical.layout import CableTally
from topoctl.physical.parts import plan_parts
from topoctl.report import design_report

from export_cases import SMALL_DESIGNS, small_job

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("TOPOCTL_UPDATE_GOLDEN") == "1"  # regenerate after a deliberate change
OUTPUTS = {  # format -> file name in the golden directory
    "design": "design.yaml",
    "cabling": "cabling.csv",
    "bom": "bom.yaml",
    "netbox": "netbox",
    "containerlab": "lab.clab.yml",
    "air": "air.json",
    "ansible": "inventory.yaml",
    "ib-topo": "ib-topo",
    "dot": "fabric.dot",
    "graphml": "fabric.graphml",
    "node-link": "fabric.json",
    "booksim": "anynet.txt",
    "simai": "simai.topo",
}
LINK_COUNTS = {"ansible", "containerlab", "air", "booksim", "simai"}  # count something else than the cables
FAMILY_KEYS = sorted(SMALL_DESIGNS)


def expected_cables(job: ExportJob) -> int:
    counts = job.design.counts
    return counts.num_endpoint_links + counts.num_switch_links


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every format of every small design, written once."""
    root = tmp_path_factory.mktemp("exports")
    out = {}
    for key in FAMILY_KEYS:
        job = small_job(key)
        directory = root / key
        directory.mkdir()
        for fmt, name in OUTPUTS.items():
            count, _ = export(job, fmt, directory / name)
            if fmt not in LINK_COUNTS:
                assert count == expected_cables(job), (key, fmt)
        export(job, "bom", directory / "bom.csv")
        out[key] = directory
    return out


def _without_report(text: bytes) -> bytes:
    """The design YAML without ``generated.report``: that is ``design_report(design).as_dict()`` (checked in
    test_design_yaml_content) and grows with the metrics, so it is no part of the exporter's golden file."""
    lines = text.split(b"\n")
    if b"  report:" not in lines:
        return text  # already without
    start = lines.index(b"  report:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(b"    "))
    return b"\n".join(lines[:start] + [b"  report: {}  # golden files leave the report out"] + lines[end:])


def _files(directory: Path) -> dict[str, bytes]:
    files = {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}
    files["design.yaml"] = _without_report(files["design.yaml"])
    return files


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_golden_files(key: str, exported: dict[str, Path]) -> None:
    golden = GOLDEN / key
    produced = _files(exported[key])
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(exported[key], golden)
        (golden / "design.yaml").write_bytes(produced["design.yaml"])
    expected = _files(golden)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{key}/{name} differs from tests/data/golden/{key}/{name}"


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_cabling_csv(key: str, exported: dict[str, Path]) -> None:
    job = small_job(key)
    with open(exported[key] / "cabling.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys())[:8] == HEADER[:8] == (
        "label", "a_device", "a_port", "z_device", "z_port", "cable_class", "length_m", "speed_gbps"
    )
    assert len(rows) == expected_cables(job)
    assert len({r["label"] for r in rows}) == len(rows)
    groups = Counter(r["link_group"] for r in rows)
    assert groups.pop("endpoint") == job.design.counts.num_endpoint_links
    assert groups == {g.name: g.count for g in job.design.counts.link_groups}
    for r in rows:  # the medium of the cheapest catalog part that reaches the cable's length
        layout = job.layout
        a_cage = 1 if r["link_group"] == "endpoint" else layout.cage_of(r["a_device"])
        part = layout.part_for((a_cage, layout.cage_of(r["z_device"])), float(r["length_m"]))
        assert r["cable_class"] == part.medium


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_ansible_inventory_parsed_by_ansible(key: str, exported: dict[str, Path], tmp_path: Path) -> None:
    # pip puts the script beside the interpreter, which a version manager's PATH may not show yet
    beside = Path(sys.executable).parent / "ansible-inventory"
    exe = str(beside) if beside.exists() else shutil.which("ansible-inventory")
    assert exe, "ansible-core (test extra) provides ansible-inventory"
    env = {**os.environ, "ANSIBLE_LOCAL_TEMP": str(tmp_path), "ANSIBLE_HOME": str(tmp_path),
           "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true", "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run([exe, "-i", str(exported[key] / "inventory.yaml"), "--list"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    inventory = json.loads(result.stdout)
    job = small_job(key)
    hostvars = inventory["_meta"]["hostvars"]
    assert set(hostvars) == set(job.plan.switches) | set(job.plan.node_names())
    roles = Counter(v["role"] for v in hostvars.values())
    assert roles.pop("node") == job.plan.num_nodes
    assert roles == job.design.counts.num_switches_by_role
    for role, count in job.design.counts.num_switches_by_role.items():
        assert len(inventory[f"role_{role}"]["hosts"]) == count
    racks = [g for g in inventory if g.startswith("rack_")]
    assert len(racks) == job.layout.num_racks
    if key == "mpft":
        assert len(inventory["plane_3"]["hosts"]) == job.design.counts.num_switches // 4


@pytest.fixture(scope="module")
def clab_schema() -> dict:
    return json.loads((DATA / "containerlab-clab.schema.json").read_text())


def _check_lab(lab: dict, schema: dict) -> None:
    jsonschema.Draft7Validator(schema).validate(lab)
    nodes = lab["topology"]["nodes"]
    used = Counter()
    for link in lab["topology"]["links"]:
        a, z = link["endpoints"]
        for end in (a, z):
            node, _, iface = end.partition(":")
            assert node in nodes and re.fullmatch(r"eth\d+", iface)
            used[end] += 1
    assert not used or max(used.values()) == 1


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_containerlab_valid_against_its_schema(key: str, exported: dict[str, Path], clab_schema: dict) -> None:
    lab = yaml.safe_load((exported[key] / "lab.clab.yml").read_text())
    _check_lab(lab, clab_schema)
    job = small_job(key)
    assert len(lab["topology"]["links"]) == expected_cables(job)
    assert len(lab["topology"]["nodes"]) == len(job.plan.switches) + job.plan.num_nodes


def test_schema_rejects_a_broken_lab(clab_schema: dict) -> None:
    """The vendored schema does check: a node without a known kind fails."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(clab_schema).validate({"name": "x", "topology": {"nodes": {"a": {"kind": "nope"}}}})


@pytest.mark.parametrize(
    ("key", "subset", "num_switches"),
    [("mpft", "plane=2", 6), ("ft3", "pod=1", 4), ("df", "group=2", 2), ("sf", "switches=5", 5),
     ("mpft", "plane=1,switches=2", 2)],
)
def test_containerlab_subset_is_consistent(key: str, subset: str, num_switches: int, tmp_path: Path,
                                           clab_schema: dict) -> None:
    job = small_job(key)
    out = tmp_path / "lab.clab.yml"
    links, _ = export(job, "containerlab", out, subset=subset)
    lab = yaml.safe_load(out.read_text())
    _check_lab(lab, clab_schema)
    switches = [n for n, v in lab["topology"]["nodes"].items() if v["labels"]["role"] != "node"]
    assert len(switches) == num_switches == len(select_switches(job.plan, subset))
    selected = set(switches)
    # every cable of the full plan between two selected switches, or from a node to one, is in the lab
    expected = sum(1 for c in job.plan.cables() if c.z_device in selected
                   and (c.a_device in selected or c.link_group == "endpoint"))
    assert links == len(lab["topology"]["links"]) == expected
    if "switches=" in subset:  # breadth-first: the slice is connected through its own switch links
        lab_graph = nx.Graph()
        lab_graph.add_nodes_from(selected)
        lab_graph.add_edges_from(tuple(e.split(":")[0] for e in link["endpoints"]) for link in lab["topology"]["links"]
                                 if all(e.split(":")[0] in selected for e in link["endpoints"]))
        assert nx.is_connected(lab_graph)


def test_containerlab_without_endpoints(tmp_path: Path, clab_schema: dict) -> None:
    job = small_job("df")
    export(job, "containerlab", tmp_path / "lab.clab.yml", endpoints=False)
    lab = yaml.safe_load((tmp_path / "lab.clab.yml").read_text())
    _check_lab(lab, clab_schema)
    assert set(lab["topology"]["nodes"]) == set(job.plan.switches)
    assert len(lab["topology"]["links"]) == job.design.counts.num_switch_links


NETBOX_REQUIRED = {
    "01-manufacturers.yaml": ("name", "slug"),
    "02-device-roles.yaml": ("name", "slug", "color"),
    "03-sites.yaml": ("name", "slug", "status"),
    "04-racks.yaml": ("name", "site", "status", "width", "u_height"),
    "05-device-types.yaml": ("manufacturer", "model", "slug", "u_height", "is_full_depth", "interfaces"),
    "06-devices.yaml": ("name", "role", "manufacturer", "device_type", "site", "rack", "position", "face", "status"),
    "07-cables.yaml": ("side_a_site", "side_a_device", "side_a_type", "side_a_name", "side_b_site", "side_b_device",
                       "side_b_type", "side_b_name", "type", "status", "label", "length", "length_unit"),
}


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_netbox_files_carry_required_fields_and_resolve(key: str, exported: dict[str, Path]) -> None:
    directory = exported[key] / "netbox"
    assert tuple(sorted(p.name for p in directory.iterdir())) == FILES
    data = {name: yaml.safe_load((directory / name).read_text()) for name in FILES}
    for name, fields in NETBOX_REQUIRED.items():
        for record in data[name]:
            missing = [f for f in fields if record.get(f) in (None, "")]
            assert not missing, (name, record, missing)
    job = small_job(key)
    roles = {r["name"] for r in data["02-device-roles.yaml"]}
    racks = {r["name"]: r["u_height"] for r in data["04-racks.yaml"]}
    types = {t["model"]: {i["name"]: i["type"] for i in t["interfaces"]} for t in data["05-device-types.yaml"]}
    devices = {d["name"]: d for d in data["06-devices.yaml"]}
    assert len(devices) == len(job.plan.switches) + job.plan.num_nodes
    for device in devices.values():
        assert device["role"] in roles and device["device_type"] in types and device["rack"] in racks
        assert device["status"] == "planned" and device["face"] == "front"
    cables = data["07-cables.yaml"]
    assert len(cables) == expected_cables(job)
    ends = Counter()
    for cable in cables:
        for side in ("a", "b"):
            device = devices[cable[f"side_{side}_device"]]
            assert cable[f"side_{side}_name"] in types[device["device_type"]]
            assert cable[f"side_{side}_type"] == "dcim.interface"
            ends[(cable[f"side_{side}_device"], cable[f"side_{side}_name"])] += 1
        assert cable["type"] in ("dac-passive", "mmf") and cable["length_unit"] == "m"
    assert max(ends.values()) == 1
    assert types["ib-ndr-64x400g"]["p1/1"] == "infiniband-ndr"


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_bom_totals(key: str, exported: dict[str, Path]) -> None:
    job = small_job(key)
    bom = yaml.safe_load((exported[key] / "bom.yaml").read_text())
    assert bom == bill_of_materials(job)
    tally = CableTally(job.layout.cage_of)
    for cable in job.cables():
        tally.add(cable)
    lines = bom["switches"] + bom["cables"] + bom["transceivers"]
    assert bom["totals"]["total_usd"] == pytest.approx(tally.cost(job.design).total_usd)
    assert bom["totals"]["total_usd"] == pytest.approx(sum(line["count"] * line["unit_price_usd"] for line in lines))
    assert sum(line["count"] for line in bom["cables"]) == expected_cables(job)
    # modules bought: a single-port one per NIC end, twin-port ones per switch cage pair of ends
    assert bom["totals"]["num_transceivers"] == plan_parts(job.design, tally).num_modules
    optical_ends = 2 * sum(line["count"] for line in bom["cables"] if line["cable_class"] == "optical")
    assert optical_ends / 2 <= bom["totals"]["num_transceivers"] <= optical_ends
    assert bom["switches"][0]["count"] == job.design.counts.num_switches
    with open(exported[key] / "bom.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(lines) + len(bom["nics"]) + 1 and rows[-1]["section"] == "total"
    assert float(rows[-1]["total_usd"]) == pytest.approx(bom["totals"]["total_usd"])


IB_LINE = re.compile(r"    (P\d+(?:/\d+)?) -4x-> (\S+) (\S+) (P\d+(?:/\d+)?)\Z")  # P7, or P4/1 where a cage is split


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_ib_topology_file(key: str, exported: dict[str, Path]) -> None:
    """The layout of the file; test_export_consumers loads it as IBDM does."""
    job = small_job(key)
    text = (exported[key] / "ib-topo" / "fabric.topo").read_text()
    sections = [s for s in text.rstrip("\n").split("\n\n") if not s.startswith("#")]
    assert len(sections) == len(job.plan.switches) + job.plan.num_nodes
    links = set()
    for section in sections:
        header, *lines = section.split("\n")
        system_type, name = header.split(" ")
        for line in lines:
            match = IB_LINE.match(line)
            assert match, line
            links.add(frozenset({(name, match[1]), (match[3], match[4])}))
    # each cable seen from both ends collapses to one set: as many as the design's cables
    assert len(links) == expected_cables(job)
    assert sorted(p.name for p in (exported[key] / "ib-topo" / "ibnl").iterdir()) == sorted(
        ["ib-ndr-64x400g.ibnl", f"HOST-{job.plan.endpoints_per_node}CA-{job.plan.ports_per_endpoint}P.ibnl"])


DOT_EDGE = re.compile(r'  "([^"]+)" -- "([^"]+)" \[label="(C\d+)", a_port="([^"]+)", z_port="([^"]+)", .*\];\Z')


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_dot_graph(key: str, exported: dict[str, Path]) -> None:
    job = small_job(key)
    lines = (exported[key] / "fabric.dot").read_text().splitlines()
    assert lines[0] == f'graph "{job.design.name}" {{' and lines[-1] == "}"
    declared = {line.split('"')[1] for line in lines if "role=" in line}
    edges = [DOT_EDGE.match(line) for line in lines if " -- " in line]
    assert all(edges) and len(edges) == expected_cables(job)
    assert {m[1] for m in edges} | {m[2] for m in edges} == declared


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_design_yaml_content(key: str, exported: dict[str, Path]) -> None:
    job = small_job(key)
    data = yaml.safe_load((exported[key] / "design.yaml").read_text())
    generated = data.pop("generated")
    assert data == SMALL_DESIGNS[key]
    assert generated["report"] == design_report(job.design).as_dict()
    assert len(generated["switches"]) == job.design.counts.num_switches
    assert len(generated["nodes"]) == job.plan.num_nodes
    assert len(generated["cables"]) == generated["num_cables"] == expected_cables(job)
    assert [dict(zip(generated["cable_fields"], row, strict=True)) for row in generated["cables"]][0]["label"] == "C1"
    assert "cost_length_aware_usd" in generated and "cost_method" in generated["report"]


@pytest.mark.parametrize("key", FAMILY_KEYS)
def test_design_yaml_round_trips_byte_for_byte(key: str, exported: dict[str, Path], tmp_path: Path) -> None:
    first = exported[key] / "design.yaml"
    job = job_from_raw(yaml.safe_load(first.read_text()), str(first))
    export(job, "design", tmp_path / "again.yaml")
    assert (tmp_path / "again.yaml").read_bytes() == first.read_bytes()


def test_round_trip_keeps_custom_layout(tmp_path: Path) -> None:
    raw = dict(SMALL_DESIGNS["ft3"])
    job = job_from_raw(raw, "t", layout_overrides={"rack_units": 8, "rack_power_kw": 30})
    export(job, "design", tmp_path / "one.yaml")
    again = job_from_raw(yaml.safe_load((tmp_path / "one.yaml").read_text()), "one.yaml")
    assert again.layout_options == job.layout_options
    export(again, "design", tmp_path / "two.yaml")
    assert (tmp_path / "two.yaml").read_bytes() == (tmp_path / "one.yaml").read_bytes()
