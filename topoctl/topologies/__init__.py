"""Topology families and their registry: adding a family is one module and one line in ``_FAMILY_CLASSES``."""

from __future__ import annotations

from importlib import import_module

from topoctl.topologies.base import Topology

__all__ = ["FAMILIES", "Topology"]

# "module.Class" under topoctl.topologies, one family a line, in the order listings and sizing use
_FAMILY_CLASSES = (
    "fat_tree.FatTree",
    "multiplane_fat_tree.MultiplaneFatTree",
    "dragonfly.Dragonfly",
    "slim_fly.SlimFly",
    "mrft.MultiRailFatTree",
    "rail_optimized.RailOptimized",
    "rail_only.RailOnly",
    "dragonfly_plus.DragonflyPlus",
    "hyperx.HyperX",
)


def _family(path: str) -> type[Topology]:
    module, name = path.rsplit(".", 1)
    family: type[Topology] = getattr(import_module(f"topoctl.topologies.{module}"), name)
    return family


FAMILIES: dict[str, type[Topology]] = {family.family: family for family in map(_family, _FAMILY_CLASSES)}
