"""A switch model per role (DesignSpec.role_switches): resolution and its checks. Work in progress: cost,
power, racks, parts and exports still read the design's one ``switch`` (see the branch's plan)."""

from __future__ import annotations

import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.spec import DesignSpec

CONSTRUCTION = {"pods": 20, "edges_per_pod": 16, "aggregations_per_pod": 16, "edge_aggregation_links": 2,
                "aggregations_per_core_group": 2, "cores_per_group": 16, "aggregation_core_links": 2}


def spec(**fields):
    base = {"family": "fat_tree", "parameters": {"tiers": 3, "endpoints": 10000, "construction": CONSTRUCTION},
            "switch": {"model": "qm9700"}, "role_switches": {"core": {"model": "q3400", "breakout": 4}}}
    return DesignSpec.model_validate({**base, **fields})


def test_a_role_takes_its_own_model():
    design = resolve(spec())
    assert design.switch_of("core").name == "q3400" and design.switch_of("edge").name == "qm9700"
    assert [(m.name, n) for m, n in design.switches_by_model] == [("qm9700", 640), ("q3400", 128)]


@pytest.mark.parametrize(("fields", "path", "words"), [
    ({"role_switches": {"spine": {"model": "q3400", "breakout": 4}}}, "role_switches.spine",
     "no switch role 'spine' in fat_tree; valid: edge, aggregation, core"),
    ({"role_switches": {"core": {"model": "q3400", "breakout": 2}}}, "role_switches.core", "a cable runs at one speed"),
    ({"role_switches": {"core": {"model": "th5-128x400g"}}}, "role_switches.core", "one fabric takes one link layer"),
    ({"parameters": {"tiers": 3, "endpoints": 10000, "construction": {**CONSTRUCTION, "aggregations_per_core_group": 8}}},
     "parameters.construction.pods", "a core needs 20 x 8 x 2 = 320 ports, more than k=288"),  # the largest radix
    ({"role_switches": {"core": {"model": "q3400", "breakout": 4}}, "parameters": {"tiers": 3, "endpoints": 10000,
      "construction": {**CONSTRUCTION, "cores_per_group": 32}}}, "switch",
     "the busiest aggregation switch cables 96 ports, more than the 64 of qm9700"),
    ({"family": "dragonfly", "parameters": {}, "role_switches": {"switch": {"model": "qm9700"}}}, "role_switches",
     "dragonfly takes one switch model"),
])
def test_role_switches_that_cannot_be_are_refused_naming_the_field(fields, path, words):
    with pytest.raises(SpecError) as caught:
        resolve(spec(**fields))
    assert caught.value.path == path and words in str(caught.value), str(caught.value)
