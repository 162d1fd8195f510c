"""Topology families and their registry: adding a family is one module and one line here."""

from __future__ import annotations

from topoctl.topologies.base import Topology
from topoctl.topologies.dragonfly import Dragonfly
from topoctl.topologies.dragonfly_plus import DragonflyPlus
from topoctl.topologies.fat_tree import FatTree
from topoctl.topologies.hyperx import HyperX
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree
from topoctl.topologies.slim_fly import SlimFly

__all__ = ["FAMILIES", "Topology"]

FAMILIES: dict[str, type[Topology]] = {
    family.family: family for family in (FatTree, MultiplaneFatTree, Dragonfly, SlimFly, DragonflyPlus, HyperX)
}
