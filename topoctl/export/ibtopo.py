"""InfiniBand topology for ibutils' IBDM (``ibdmchk -t``, ``ibdiagnet -t``, and the tools built on its
topology compare): a directory with the topology file ``fabric.topo`` and the system definitions its
system types need, ``ibnl/<TYPE>.ibnl`` (give the directory to IBDM as ``IBDM_IBNL_PATH=DIR/ibnl``).

Topology file (the grammar of ``IBFabric::parseTopology``, ibutils ibdm/ibdm/Fabric.cpp):
- a system line ``TYPE NAME`` (neither holds ``/`` or blanks), then one line per cabled port,
  indented: ``    P<local> -4x-<lane speed>-> <REMOTE-TYPE> <remote-name> P<remote>``, a blank line
  between systems; ``#`` lines are comments. Every cable appears at both of its ends.
- the lane speed is one of ``2.5G``, ``5G`` and ``10G`` only (the parser's ``(2.5|5|10)G``); a port
  with a faster lane (HDR 50G, NDR 100G, XDR 200G) gives the width alone, ``-4x->``, which the
  grammar allows, and the header comment states the real speed.
- line length: IBDM reads lines into a 1,024-byte buffer; every line here is far shorter.

System definitions (the ibnl grammar of ibdm/ibdm/ibnl_parser.yy and ibnl_scanner.ll): one
``TOPSYSTEM`` per file, its ``NODE`` lines (``NODE SW <ports> <device> U1``) mapping node ports to
system ports (``<n> -> P<n>``); the scanner has no comments, so these files hold none. ``HCA``,
``CA`` and ``SW`` are node-type keywords of the scanner, so a system type cannot be called ``HCA``
(the scanner returns NODETYPE, and ``TOPSYSTEM HCA`` is a syntax error): nodes are
``HOST-<G>CA-<m>P`` systems, G channel adapters (one per endpoint, device ``ConnectX``) of m ports
each; node port ``nic<j>`` is system port ``P<j>``, port ``(j-1) mod m + 1`` of adapter
``U<(j-1) // m + 1>``. The switch type is the catalog model's name, one ``SW`` node with the
model's radix; switch port ``p<n>`` is ``P<n>`` (a breakout lane ``p<n>/<l>`` is ``P<n>/<l>``).

Why not ``ibnetdiscover`` output: that format identifies every node by its GUID and LID, which a
fabric has only once it is built and discovered, so made-up GUIDs would make UFM's and ibdiagnet's
comparisons fail on every node; IBDM's topology file names systems and ports instead, which is what a
plan has and what those tools compare a discovered fabric against.
"""

from __future__ import annotations

import re
from pathlib import Path

from topoctl.export.atomic import atomic_directory
from topoctl.export.job import ExportJob
from topoctl.export.lab import port_numbers
from topoctl.physical.ports import node_name, node_port, switch_port

__all__ = ["write_ibtopo", "TOPOLOGY_FILE", "IBNL_DIRECTORY", "FILES", "node_type", "switch_type", "ib_port",
           "lane_speed"]

TOPOLOGY_FILE = "fabric.topo"
IBNL_DIRECTORY = "ibnl"
FILES = (TOPOLOGY_FILE, IBNL_DIRECTORY)  # what an earlier export of this format left in the directory
WIDTH = "4x"
IBDM_LANE_SPEEDS = {2.5: "2.5G", 5.0: "5G", 10.0: "10G"}  # the topology grammar's (2.5|5|10)G
CA_DEVICE = "ConnectX"
IBNL_KEYWORDS = {"SW", "CA", "HCA", "SYSTEM", "TOPSYSTEM", "NODE", "SUBSYSTEM"}
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_.:%@~-]")  # the ibnl NAME characters, less '/' (a topology file's separator)


def switch_type(model: str) -> str:
    """The catalog model's name as an IBDM system type: ibnl NAME characters, a letter first, no keyword."""
    name = _NOT_IN_NAME.sub("_", model)
    if not name[:1].isalpha():
        name = "SW-" + name
    return name + "-switch" if name in IBNL_KEYWORDS or len(name) < 2 else name


def node_type(adapters: int, ports: int) -> str:
    return f"HOST-{adapters}CA-{ports}P"


def ib_port(port: str) -> str:
    """A port-plan port name (``p7``, ``p3/2``, ``nic4``) as an IBDM system port (``P7``, ``P3/2``, ``P4``)."""
    return "P" + "/".join(map(str, port_numbers(port)))


def lane_speed(speed_gbps: float) -> str | None:
    """The grammar's lane speed for a 4x port of ``speed_gbps``; None beyond 10G a lane."""
    return IBDM_LANE_SPEEDS.get(speed_gbps / 4)


def _arrow(speed_gbps: float) -> str:
    lane = lane_speed(speed_gbps)
    return f"-{WIDTH}-{lane}->" if lane else f"-{WIDTH}->"


def write_ibtopo(job: ExportJob, out: Path) -> int:
    """Write the directory; returns the number of cables (each listed from both ends)."""
    with atomic_directory(out, FILES) as directory:
        (directory / IBNL_DIRECTORY).mkdir()
        host_type = _write_definitions(job, directory / IBNL_DIRECTORY)
        return _write_topology(job, directory / TOPOLOGY_FILE, host_type)


def _write_definitions(job: ExportJob, directory: Path) -> str:
    """A system definition per switch model (each its own ports) and the node's; returns the node's type."""
    plan = job.plan
    for model in dict.fromkeys(plan.models):
        sw_type = switch_type(model.name)
        ports = sorted({ib_port(switch_port(n, model)) for n in range(1, model.radix + 1)}, key=port_numbers)
        lines = ["", f"TOPSYSTEM {sw_type}", "", f"NODE SW {len(ports)} {sw_type} U1"]
        lines += [f"   {i} -> {port}" for i, port in enumerate(ports, 1)]
        (directory / f"{sw_type}.ibnl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    g, m = plan.endpoints_per_node, plan.ports_per_endpoint
    host_type = node_type(g, m)
    lines = ["", f"TOPSYSTEM {host_type}", ""]
    for i in range(g):
        lines.append(f"NODE CA {m} {CA_DEVICE} U{i + 1}")
        lines += [f"   {p} -> {ib_port(node_port(i * m + p))}" for p in range(1, m + 1)]
    (directory / f"{host_type}.ibnl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return host_type


def _write_topology(job: ExportJob, path: Path, host_type: str) -> int:
    plan, design = job.plan, job.design
    models, index = plan.models, plan.index
    types = [switch_type(model.name) for model in models]

    def on_switch(s: int, port: int) -> str:  # the port's name on switch s's model, as IBDM writes it
        return ib_port(switch_port(port, models[s]))

    endpoint_arrow, switch_arrow = _arrow(design.endpoint_speed_gbps), _arrow(design.switch.port_speed_gbps)
    # node -> [(node port, switch index, switch port)], then each switch's endpoint ports in order.
    by_node: list[list[tuple[int, int, int]]] = [[] for _ in range(plan.num_nodes)]
    by_switch: list[list[tuple[int, int, int]]] = [[] for _ in plan.switches]
    for s, port, n, j in plan.attachments():
        by_node[n].append((j, s, port))
        by_switch[s].append((port, n, j))
    num_endpoint_cables = sum(len(ports) for ports in by_node)
    switch_port_lines = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        write = handle.write
        write(f"# IBDM topology of topoctl design {design.name!r}; system definitions in {IBNL_DIRECTORY}/\n")
        for what, speed in (("endpoint", design.endpoint_speed_gbps), ("switch", design.switch.port_speed_gbps)):
            if lane_speed(speed) is None:
                write(f"# {what} links: {speed:g}G ports, 4 lanes of {speed / 4:g}G; the topology grammar "
                      "names lane speeds up to 10G only, so their lines give the width alone\n")
        write("\n")
        for s, name in enumerate(plan.switches):
            write(f"{types[s]} {name}\n")
            for port, n, j in by_switch[s]:
                write(f"    {on_switch(s, port)} {endpoint_arrow} {host_type} {node_name(n)} "
                      f"{ib_port(node_port(j))}\n")
            lines = sorted(plan.switch_port_map(s))
            for port, far, far_port, _ in lines:
                t = index[far]
                write(f"    {on_switch(s, port)} {switch_arrow} {types[t]} {far} {on_switch(t, far_port)}\n")
            switch_port_lines += len(lines)
            write("\n")
        by_switch.clear()
        for n, ports in enumerate(by_node):
            write(f"{host_type} {node_name(n)}\n")
            for j, s, port in sorted(ports):
                write(f"    {ib_port(node_port(j))} {endpoint_arrow} {types[s]} {plan.switches[s]} "
                      f"{on_switch(s, port)}\n")
            write("\n")
    return num_endpoint_cables + switch_port_lines // 2  # a switch cable has a line at each end
