"""BookSim2 ``anynet`` network file (``topology = anynet; network_file = FILE;`` in a BookSim2
config): routers are switches, nodes are endpoint ports.

Grammar (``AnyNet::readFile``, booksim2 src/networks/anynet.cpp): one line per head, ``router R``
followed by what it connects to, ``node N`` or ``router R2``, each optionally followed by a channel
latency in cycles (1 when left out); tokens separated by single spaces. Router and node numbers
must be sequential from 0; a node attaches to exactly one router. Here:
- router ``r`` is the r-th switch in build order (the port plan's order: the cabling plan and the
  design YAML list them so); the grammar has no comments, so the file holds numbers only;
- node ``n`` is the n-th endpoint port in the port plan's cable order (switches in build order,
  ports ascending). An endpoint with several ports (multi-port or multi-plane endpoints) is one
  BookSim node per port, since a BookSim node has one router;
- one line per router: its nodes, then its neighbour routers in port order, every channel with the
  default latency. anynet keeps one channel per ordered router pair (``router_list`` is a map), so
  parallel cables between two switches are one channel in BookSim: the file lists each neighbour
  once.
"""

from __future__ import annotations

from pathlib import Path

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob

__all__ = ["write_booksim"]


def write_booksim(job: ExportJob, out: Path) -> int:
    """Write the network file; returns the number of router-to-router channels (each pair once)."""
    plan = job.plan
    nodes_of: list[list[int]] = [[] for _ in plan.switches]
    for node, (s, _port, _n, _j) in enumerate(job.counted(plan.attachments(), plan.design.counts.num_endpoint_links)):
        nodes_of[s].append(node)
    pairs = 0
    with atomic_text(out) as handle:
        write = handle.write
        for s in range(len(plan.switches)):
            neighbours: list[int] = []
            for _, far, _, _ in plan.switch_port_map(s):
                t = plan.index[far]
                if not neighbours or neighbours[-1] != t:  # a pair's parallel cables are on consecutive ports
                    neighbours.append(t)
            pairs += sum(1 for t in neighbours if t > s)
            parts = [f"router {s}"] + [f"node {n}" for n in nodes_of[s]] + [f"router {t}" for t in neighbours]
            write(" ".join(parts) + "\n")
    return pairs
