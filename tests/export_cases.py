"""Designs the export and physical-plan tests share: the golden files are written from SMALL_DESIGNS,
and every family of the registry adds its own ``examples()`` to the property checks."""

from __future__ import annotations

from topoctl.export.job import ExportJob
from topoctl.export.source import job_from_raw
from topoctl.topologies import FAMILIES

# Small designs of every family (and both fat-tree depths): the golden files are written from these.
SMALL_DESIGNS = {
    "ft2": {"name": "ft2", "family": "fat_tree", "parameters": {"k": 4, "tiers": 2}},
    "ft3": {"name": "ft3", "family": "fat_tree", "parameters": {"k": 4, "tiers": 3}},
    "mpft": {
        "name": "mpft",
        "family": "multiplane_fat_tree",
        "parameters": {"planes": 4, "k": 4, "tiers": 2, "endpoints_per_node": 4, "ports_per_endpoint": 2},
    },
    "df": {"name": "df", "family": "dragonfly", "parameters": {"p": 1, "a": 2, "h": 1, "g": 3}},
    "sf": {"name": "sf", "family": "slim_fly", "parameters": {"q": 3, "p": 2}},
}
# Larger ones with partial population, oversubscription and parallel links, for property checks.
MORE_DESIGNS = {
    "ft2-partial": {"family": "fat_tree", "parameters": {"k": 8, "tiers": 2, "oversubscription": 3, "endpoints": 37}},
    "ft3-partial": {"family": "fat_tree", "parameters": {"k": 8, "tiers": 3, "endpoints": 70}},
    "mpft-deployed": {"family": "multiplane_fat_tree", "parameters": {"planes": 8, "k": 8, "tiers": 2}},
    "mpft-3tier": {"family": "multiplane_fat_tree", "parameters": {"planes": 2, "k": 4, "tiers": 3,
                                                                    "endpoints_per_node": 2, "ports_per_endpoint": 2}},
    "df-parallel": {"family": "dragonfly", "parameters": {"p": 2, "a": 4, "h": 4, "g": 5}},
    "sf-q5": {"family": "slim_fly", "parameters": {"q": 5, "p": 3}},
    # a model per role: 64 x 400G edges and aggregations (2 ports a cage), 288 x 400G cores (4 a cage)
    "ft3-mixed": {"family": "fat_tree", "parameters": {"tiers": 3, "endpoints": 96, "construction": {
        "pods": 3, "edges_per_pod": 4, "aggregations_per_pod": 4, "edge_aggregation_links": 2,
        "aggregations_per_core_group": 2, "cores_per_group": 4, "aggregation_core_links": 2}},
        "switch": {"model": "qm9700"}, "role_switches": {"core": {"model": "q3400", "breakout": 4}}},
}
# Every family's own small variants (Topology.examples), so a new family is planned and exported too.
FAMILY_EXAMPLES = {
    f"{name}-example{i}": {"family": name, "parameters": params}
    for name, family in FAMILIES.items()
    for i, params in enumerate(family.examples())
}
ALL_DESIGNS = {**SMALL_DESIGNS, **MORE_DESIGNS, **FAMILY_EXAMPLES}


def small_job(key: str) -> ExportJob:
    return job_from_raw(dict(ALL_DESIGNS[key]), "test")
