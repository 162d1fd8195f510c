"""Port-level detail of a design: stable names and a deterministic port assignment, streamed.

Names
- Switches keep their graph names (``leaf-3``, ``p2-pod1-edge-0``, ``g12-sw5``). Their ports are
  numbered 1 .. radix and named as the installer sees them (``SwitchModel.port_name``): cage and lane
  where a breakout splits a cage (``p32/2`` on a 32-cage twin-port switch, ``swp64s1``, ``Ethernet64/5``),
  the cage alone otherwise (``p7``); a 64-cage switch never shows ``p128``.
- Endpoints live in nodes: ``node-<n>`` (0-based) holds ``endpoints_per_node`` endpoints (G, the
  family's ``Topology.node_size()``; 1 where the family defines no nodes), each with
  ``ports_per_endpoint`` ports (m). Node port ``nic<j>`` (1-based) is port ``(j - 1) mod m`` of the
  node's endpoint ``(j - 1) // m``.
- Cables are labelled ``C1``, ``C2`` ... in the order below; the label is stable for a given design.

Port assignment (each switch independently)
1. Ports 1 .. e go down to the e endpoint ports attached to the switch. Endpoint ports are dealt to
   the switches in build order: the plane's endpoint ports in (node, endpoint, port) order. In a
   design of P planes, endpoint i of a node uses planes (i mod P/m)*m .. (i mod P/m)*m + m - 1 (the
   plane convention of the multi-plane family's module), so plane p takes port p mod m of the
   endpoints with i mod (P/m) = p // m. In a rail-aligned design (``Topology.rails()`` = R), endpoint i
   of a node attaches to the switches labelled rail i mod R (of its plane), so a rail's switches take
   that endpoint of every node, in node order.
2. The next ports go to switch neighbours: lower tier first (down), then the same tier (the meshes of
   single-tier families), then higher tiers (up); within a tier in build order; parallel cables on
   consecutive ports. Tiers: ``Topology.role_tier`` of each switch's role (0 at the endpoints).

Cables are listed once, A -> Z, with A the lower end: the node for an endpoint cable; for a switch
cable the lower-tier switch, or the earlier in build order within a tier. Endpoint cables come first
(switches in build order, ports ascending), then switch cables (A switches in build order, their
ports ascending). Nothing here holds the list of cables: ``cables()`` is a generator, and the only
per-cable state is one first-port number per switch pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, Protocol

from topoctl.catalog import SwitchModel
from topoctl.errors import NotConstructibleError
from topoctl.topologies.base import Counts, Topology

if TYPE_CHECKING:  # networkx is loaded by the graph build, not by a closed-form report that reads this module
    import networkx as nx

__all__ = ["Cable", "PlannedDesign", "PortPlan", "ENDPOINT_LINK_GROUP", "switch_port", "node_port", "node_name"]

ENDPOINT_LINK_GROUP = "endpoint"


class PlannedDesign(Protocol):
    """What the physical plan needs of a design (``topoctl.design.Design`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def topology(self) -> Topology: ...

    @property
    def switch(self) -> SwitchModel: ...

    def switch_of(self, role: str) -> SwitchModel: ...

    @property
    def endpoint_speed_gbps(self) -> float: ...

    @property
    def counts(self) -> Counts: ...


def switch_port(number: int, switch: SwitchModel | None = None) -> str:
    """Port ``number``'s name on ``switch`` (``p<number>`` without one, an unsplit cage per port)."""
    return switch.port_name(number) if switch is not None else f"p{number}"


def node_port(number: int) -> str:
    return f"nic{number}"


def node_name(index: int) -> str:
    return f"node-{index}"


class Cable(NamedTuple):
    """One physical cable, A -> Z (ports are 1-based numbers; names via switch_port/node_port)."""

    label: str
    a_device: str
    a_port: str
    z_device: str
    z_port: str
    link_group: str  # "endpoint" or the switch link group, e.g. "leaf-spine"
    speed_gbps: float


class PortPlan:
    """The port assignment of one constructible design (see the module docstring)."""

    def __init__(self, design: PlannedDesign, graph: nx.Graph | None = None) -> None:
        topo = design.topology
        if not topo.constructible:
            raise NotConstructibleError(
                f"design {design.name!r} is formula-only, "
                f"so it has no cables to export: {topo.not_constructible_reason()}"
            )
        self.design = design
        self.graph = graph if graph is not None else topo.build().to_networkx()
        self.switches: list[str] = list(self.graph.nodes)
        self.index = {name: i for i, name in enumerate(self.switches)}
        self.ports_per_endpoint = topo.ports_per_endpoint
        self.endpoints_per_node = topo.node_size() or 1
        self.num_planes = topo.num_planes()
        self.num_rails = topo.rails()
        self.num_nodes = topo.counts().num_endpoints // self.endpoints_per_node
        self.endpoint_speed_gbps = design.endpoint_speed_gbps
        self.switch_speed_gbps = design.switch.port_speed_gbps
        # each switch's model, by its role (one model for all but where the design gives a role its own)
        self.models = [design.switch_of(self.graph.nodes[s]["role"]) for s in self.switches]
        # Neighbours of each switch in port order, and the first port of each neighbour's cables.
        self._first_port: list[dict[str, int]] = []
        tier = [topo.role_tier(self.graph.nodes[s]["role"]) for s in self.switches]
        self._tier = tier
        index = self.index
        for s, name in enumerate(self.switches):
            data = self.graph.adj[name]
            order = sorted(data, key=lambda v: (_direction(tier[s], tier[index[v]]), index[v]))
            port = self.graph.nodes[name]["endpoints"] + 1
            first: dict[str, int] = {}
            for v in order:
                first[v] = port
                port += data[v]["count"]
            self._first_port.append(first)

    # -- counts ------------------------------------------------------------------------------------
    @property
    def num_node_ports(self) -> int:
        return self.endpoints_per_node * self.ports_per_endpoint

    def num_cables(self) -> int:
        counts = self.design.counts
        return counts.num_endpoint_links + counts.num_switch_links

    def node_ports(self) -> list[str]:
        return [node_port(j) for j in range(1, self.num_node_ports + 1)]

    def node_names(self) -> Iterator[str]:
        return (node_name(n) for n in range(self.num_nodes))

    # -- endpoint attachment -----------------------------------------------------------------------
    def _plane_endpoint_ports(self, plane: int | None, rail: int | None = None) -> Iterator[tuple[int, int]]:
        """(node, node port number) of every endpoint port in ``plane`` (and ``rail``, in a rail-aligned
        design) in (node, endpoint, port) order."""
        g, m = self.endpoints_per_node, self.ports_per_endpoint
        if plane is None or self.num_planes == 1:
            mine = list(range(1, g * m + 1))
        else:
            groups = self.num_planes // m  # P/m: endpoint i serves planes (i mod P/m)*m + port
            group, port = divmod(plane, m)
            mine = [i * m + port + 1 for i in range(g) if i % groups == group]
        if rail is not None and self.num_rails:
            mine = [j for j in mine if ((j - 1) // m) % self.num_rails == rail]  # endpoint i: rail i mod R
        for n in range(self.num_nodes):
            for j in mine:
                yield n, j

    def attachments(self) -> Iterator[tuple[int, int, int, int]]:
        """(switch index, switch port, node, node port) of every endpoint cable, switches in build
        order, ports ascending."""
        sources: dict[tuple[int | None, int | None], Iterator[tuple[int, int]]] = {}
        nodes = self.graph.nodes
        for s, name in enumerate(self.switches):
            count = nodes[name]["endpoints"]
            if not count:
                continue
            plane = nodes[name].get("plane") if self.num_planes > 1 else None
            rail = nodes[name].get("rail") if self.num_rails else None
            source = sources.get((plane, rail))
            if source is None:
                source = sources[(plane, rail)] = self._plane_endpoint_ports(plane, rail)
            for port in range(1, count + 1):
                n, j = next(source)
                yield s, port, n, j

    # -- cables ------------------------------------------------------------------------------------
    def cables(self) -> Iterator[Cable]:
        """Every cable once, A -> Z, labelled in order (see the module docstring)."""
        label = 0
        speed = self.endpoint_speed_gbps
        switches = self.switches
        models = self.models
        for s, port, n, j in self.attachments():
            label += 1
            yield Cable(
                f"C{label}", node_name(n), node_port(j), switches[s], models[s].port_name(port), ENDPOINT_LINK_GROUP,
                speed
            )
        speed = self.switch_speed_gbps
        adj, index, tier = self.graph.adj, self.index, self._tier
        for s, name in enumerate(switches):
            for v, first in self._first_port[s].items():
                t = index[v]
                if (tier[t], t) < (tier[s], s):
                    continue  # listed from v's side
                data = adj[name][v]
                far = self._first_port[t][name]
                for i in range(data["count"]):
                    label += 1
                    yield Cable(
                        f"C{label}", name, models[s].port_name(first + i), v, models[t].port_name(far + i),
                        data["link_group"], speed
                    )

    def switch_port_map(self, s: int) -> Iterator[tuple[int, str, int, str]]:
        """(local port, remote switch, remote port, link group) of switch ``s``'s switch links."""
        name = self.switches[s]
        adj = self.graph.adj[name]
        for v, first in self._first_port[s].items():
            far = self._first_port[self.index[v]][name]
            data = adj[v]
            for i in range(data["count"]):
                yield first + i, v, far + i, data["link_group"]


def _direction(mine: int, theirs: int) -> int:
    """0 for a lower-tier neighbour (down), 1 same tier, 2 higher (up)."""
    return 0 if theirs < mine else (1 if theirs == mine else 2)
