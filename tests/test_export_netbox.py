"""NetBox export: device types valid under the netbox devicetype-library's rules (its schema's required
fields and strictness and its slug rule, written here from its schema and tests), the
interfaces NetBox will create from them counted against the design, and one cable per interface at most.
The real import is tests/test_netbox_import.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

from topoctl.export.netbox import FILES, device_type_slug, write_netbox
from topoctl.export.source import job_from_raw

from export_cases import SMALL_DESIGNS

# The device-type rules of the netbox devicetype-library (its schema/devicetype.json and tests), written
# here for the fields this export writes: the required fields (is_full_depth among them), a slug of lower
# case letters, digits and dashes, heights in half units, interfaces with a name and a NetBox type, nothing
# else.
# NetBox's InterfaceTypeChoices (dcim/choices.py) for the speeds the export writes
INTERFACE_TYPES = ["infiniband-edr", "infiniband-hdr", "infiniband-ndr", "infiniband-xdr", "100gbase-x-qsfp28",
                   "200gbase-x-qsfp56", "400gbase-x-osfp", "800gbase-x-osfp"]
DEVICE_TYPE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["manufacturer", "model", "slug", "is_full_depth"],
    "properties": {
        "manufacturer": {"type": "string", "minLength": 1},
        "model": {"type": "string", "minLength": 1},
        "slug": {"type": "string", "pattern": "^[-a-z0-9_]+$"},
        "part_number": {"type": "string"},
        "u_height": {"type": "number", "minimum": 0, "multipleOf": 0.5},
        "is_full_depth": {"type": "boolean"},
        "comments": {"type": "string"},
        "interfaces": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "type"],
            "properties": {"name": {"type": "string", "minLength": 1}, "type": {"enum": INTERFACE_TYPES},
                           "mgmt_only": {"type": "boolean"}, "label": {"type": "string"}}}},
    },
}
SF_Q5 = {"name": "SF-q5", "family": "slim_fly", "parameters": {"q": 5}}


@pytest.fixture(scope="module")
def devicetype_validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(DEVICE_TYPE_SCHEMA)
    return jsonschema.Draft202012Validator(DEVICE_TYPE_SCHEMA)


def _library_slug(text: str) -> str:
    """devicetype-library tests/device_types.py: how it slugifies a manufacturer or model to check a slug."""
    slug = text.casefold().replace(" ", "-").replace("sfp+", "sfpp").replace("poe+", "poep").replace("-+", "-plus")
    slug = slug.replace("+", "-plus-").replace("_", "-").replace("&", "-and-").replace("!", "").replace("/", "-")
    slug = slug.replace(",", "").replace("'", "").replace("*", "-")
    return slug[:-1] if slug.endswith("-") else slug


def _export(raw: dict, out: Path) -> tuple[dict[str, list], object]:
    job = job_from_raw(dict(raw), "test")
    write_netbox(job, out)
    return {name: yaml.safe_load((out / name).read_text()) for name in FILES}, job


DESIGNS = {**SMALL_DESIGNS, "sf-q5": SF_Q5}


@pytest.mark.parametrize("key", sorted(DESIGNS))
def test_device_types_follow_the_devicetype_library(key: str, tmp_path: Path,
                                                    devicetype_validator: jsonschema.Draft202012Validator) -> None:
    data, _ = _export(DESIGNS[key], tmp_path / "nb")
    manufacturers = {m["name"]: m["slug"] for m in data["01-manufacturers.yaml"]}
    for device_type in data["05-device-types.yaml"]:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in devicetype_validator.iter_errors(device_type)]
        assert not errors, (device_type["model"], errors[:5])
        assert device_type["is_full_depth"] is True
        # the library's slug rule: the manufacturer's slug first, the model's last
        assert device_type["slug"].startswith(_library_slug(device_type["manufacturer"]) + "-")
        assert device_type["slug"].startswith(manufacturers[device_type["manufacturer"]] + "-")
        assert device_type["slug"].endswith(_library_slug(device_type["model"]))
        assert device_type["slug"] == device_type_slug(device_type["model"])
        names = [i["name"] for i in device_type["interfaces"]]
        assert len(names) == len(set(names)), device_type["model"]


def test_schema_rejects_what_netbox_exports_used_to_write(devicetype_validator) -> None:
    """The rules are strict: the earlier device type (no is_full_depth) and an unknown key fail."""
    earlier = {"manufacturer": "Generic", "model": "ib-ndr-64x400g", "slug": "ib-ndr-64x400g", "u_height": 1,
               "interfaces": [{"name": "p1", "type": "infiniband-ndr"}]}
    assert [e.message for e in devicetype_validator.iter_errors(earlier)] == ["'is_full_depth' is a required property"]
    unknown = {**earlier, "is_full_depth": True, "colour": "red"}
    assert not devicetype_validator.is_valid(unknown)
    bad_type = {**earlier, "is_full_depth": True, "interfaces": [{"name": "p1", "type": "infiniband-400g"}]}
    assert not devicetype_validator.is_valid(bad_type)
    assert devicetype_validator.is_valid({**earlier, "is_full_depth": True})


@pytest.mark.parametrize("key", sorted(DESIGNS))
def test_interfaces_come_from_device_types_and_cables_use_them_once(key: str, tmp_path: Path) -> None:
    data, job = _export(DESIGNS[key], tmp_path / "nb")
    assert "07-interfaces.yaml" not in FILES  # the device types create every interface
    types = {t["model"]: [i["name"] for i in t["interfaces"]] for t in data["05-device-types.yaml"]}
    devices = {d["name"]: d["device_type"] for d in data["06-devices.yaml"]}
    design, plan = job.design, job.plan
    assert len(devices) == design.counts.num_switches + plan.num_nodes
    interfaces = sum(len(types[t]) for t in devices.values())
    assert interfaces == design.counts.num_switches * design.switch.radix + plan.num_nodes * plan.num_node_ports
    racks = {r["name"] for r in data["04-racks.yaml"]}
    assert all(r["width"] == 19 and r["u_height"] == job.layout_options.rack_units for r in data["04-racks.yaml"])
    assert {d["rack"] for d in data["06-devices.yaml"]} <= racks
    site = data["03-sites.yaml"][0]["name"]
    used = Counter()
    for cable in data["07-cables.yaml"]:
        for side in ("a", "b"):
            assert cable[f"side_{side}_site"] == site
            device = cable[f"side_{side}_device"]
            assert cable[f"side_{side}_name"] in types[devices[device]]
            used[(device, cable[f"side_{side}_name"])] += 1
    assert len(data["07-cables.yaml"]) == design.counts.num_endpoint_links + design.counts.num_switch_links
    assert max(used.values()) == 1
