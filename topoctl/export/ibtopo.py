"""InfiniBand topology file (ibdiagnet/IBDM style) for cable validation at bring-up.

One section per system, ``SYSTEM-TYPE SYSTEM-NAME``, then one line per cabled port,
``P<local> -4x-<lane speed>-> <REMOTE-TYPE> <remote-name> P<remote>``, a blank line between sections
(``reference/export-formats.md``). Switch sections come first in build order, then nodes (type
``HCA``). Every cable therefore appears twice, once from each end. Port numbers are the port plan's:
switch port ``p<n>`` is ``P<n>``, node port ``nic<j>`` is ``P<j>``. Width is 4x; the lane speed is the
port speed over four lanes (``-4x-100G->`` on a 400G NDR port).
"""

from __future__ import annotations

import re
from pathlib import Path

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.physical.ports import node_name

__all__ = ["write_ibtopo", "NODE_TYPE"]

NODE_TYPE = "HCA"


def _lane(speed_gbps: float) -> str:
    lane = speed_gbps / 4
    return f"{int(lane)}G" if float(lane).is_integer() else f"{lane:g}G"


def write_ibtopo(job: ExportJob, out: Path) -> int:
    """Write the topology file; returns the number of cables (each listed from both ends)."""
    plan, design = job.plan, job.design
    switch_type = re.sub(r"\s+", "_", design.switch.name)
    endpoint_lane, switch_lane = _lane(design.endpoint_speed_gbps), _lane(design.switch.port_speed_gbps)
    # node -> [(node port, switch index, switch port)], then each switch's endpoint ports in order.
    by_node: list[list[tuple[int, int, int]]] = [[] for _ in range(plan.num_nodes)]
    by_switch: list[list[tuple[int, int, int]]] = [[] for _ in plan.switches]
    for s, port, n, j in plan.attachments():
        by_node[n].append((j, s, port))
        by_switch[s].append((port, n, j))
    num_endpoint_cables = sum(len(ports) for ports in by_node)
    switch_port_lines = 0
    with atomic_text(out) as handle:
        write = handle.write
        for s, name in enumerate(plan.switches):
            write(f"{switch_type} {name}\n")
            for port, n, j in by_switch[s]:
                write(f"P{port} -4x-{endpoint_lane}-> {NODE_TYPE} {node_name(n)} P{j}\n")
            lines = sorted(plan.switch_port_map(s))
            for port, far, far_port, _ in lines:
                write(f"P{port} -4x-{switch_lane}-> {switch_type} {far} P{far_port}\n")
            switch_port_lines += len(lines)
            write("\n")
        by_switch.clear()
        for n, ports in enumerate(by_node):
            write(f"{NODE_TYPE} {node_name(n)}\n")
            for j, s, port in sorted(ports):
                write(f"P{j} -4x-{endpoint_lane}-> {switch_type} {plan.switches[s]} P{port}\n")
            write("\n")
    return num_endpoint_cables + switch_port_lines // 2  # a switch cable has a line at each end
