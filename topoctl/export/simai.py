"""SimAI / ns-3 topology file (SimAI's ``SimAI_simulator -n FILE`` and ``SimAI_analytical``), as its
reader parses it: ``SetupNetwork`` in astra-sim-alibabacloud/astra-sim/network_frontend/ns3/common.h
(aliyun/SimAI) reads whitespace-separated tokens:
1. ``node_num gpus_per_server nvswitch_num switch_num link_num gpu_type``;
2. the ``nvswitch_num`` NVSwitch ids, then the ``switch_num`` switch ids (every other id is a GPU);
3. ``link_num`` links ``src dst bandwidth latency error_rate``.

Here GPUs are the endpoints: node n's endpoint i is id ``n * G + i`` (G endpoints a node, the
``gpus_per_server``), then one NVSwitch per node (id ``E + n``), then the switches in build order
(id ``E + N + s``), the id layout of SimAI's own generator (astra-sim-alibabacloud/inputs/topo/
gen_Topo_Template.py). Links: each GPU to its node's NVSwitch, then each GPU's NIC links, then the
switch-to-switch links. SimAI keeps one interface per neighbour pair (``nbr2if[snode][dnode]``), so
parallel cables between two devices are one link of their summed bandwidth. The values topoctl does
not design are the generator's defaults: ``gpu_type`` H100, NVLink 2880Gbps at 0.000025ms, NIC and
switch links 0.0005ms, error rate 0.

Limits of the reader: GPU and NVSwitch ids get IPv4 addresses ``11.x.y.1`` from ``node_id_to_ip``
(x = id / 256 must stay below 256, so at most 65,536 of them), and link i gets the subnet
``10.(i / 254 + 1).(i % 254 + 1).0`` (at most 254 * 255 = 64,770 links); a larger design is refused.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from topoctl.errors import ExportError
from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob

__all__ = ["write_simai", "MAX_ADDRESSED_NODES", "MAX_LINKS", "GPU_TYPE"]

GPU_TYPE = "H100"
NVLINK_BANDWIDTH = "2880Gbps"
NVLINK_LATENCY = "0.000025ms"
LINK_LATENCY = "0.0005ms"
ERROR_RATE = "0"
MAX_ADDRESSED_NODES = 256 * 256  # node_id_to_ip: (id / 256) lands in one octet
MAX_LINKS = 254 * 255  # the per-link subnet 10.(i / 254 + 1).(i % 254 + 1).0


def _bandwidth(gbps: float) -> str:
    return f"{gbps:g}Gbps"


def write_simai(job: ExportJob, out: Path) -> int:
    """Write the topology; returns the number of links."""
    plan = job.plan
    g = plan.endpoints_per_node
    m = plan.ports_per_endpoint
    num_gpus, num_nv = plan.num_nodes * g, plan.num_nodes
    switch0 = num_gpus + num_nv
    # (gpu, switch id) -> cables; endpoint ports in node order: node port j is endpoint (j - 1) // m
    nic: Counter[tuple[int, int]] = Counter()
    for s, _port, n, j in job.counted(plan.attachments(), plan.design.counts.num_endpoint_links):
        nic[(n * g + (j - 1) // m, switch0 + s)] += 1
    fabric: list[tuple[int, int, int]] = []  # (switch id, switch id, cables)
    for s in range(len(plan.switches)):
        bundles: Counter[int] = Counter()
        for _, far, _, _ in plan.switch_port_map(s):
            t = plan.index[far]
            if t > s:
                bundles[t] += 1
        fabric += [(switch0 + s, switch0 + t, count) for t, count in bundles.items()]
    num_links = num_gpus + len(nic) + len(fabric)
    if num_gpus + num_nv > MAX_ADDRESSED_NODES:
        raise ExportError(f"SimAI addresses at most {MAX_ADDRESSED_NODES:,} GPUs and NVSwitches; this design has "
                          f"{num_gpus:,} GPUs and {num_nv:,} NVSwitches: export a smaller design")
    if num_links > MAX_LINKS:
        raise ExportError(f"SimAI numbers at most {MAX_LINKS:,} links; this design has {num_links:,}: "
                          "export a smaller design")
    design = job.design
    with atomic_text(out) as handle:
        write = handle.write
        write(f"{switch0 + len(plan.switches)} {g} {num_nv} {len(plan.switches)} {num_links} {GPU_TYPE}\n")
        write(" ".join(str(i) for i in range(num_gpus, switch0 + len(plan.switches))) + "\n")
        endpoint_bw = design.endpoint_speed_gbps
        by_gpu: dict[int, list[tuple[int, int]]] = {}
        for (gpu, switch), count in sorted(nic.items()):
            by_gpu.setdefault(gpu, []).append((switch, count))
        for gpu in range(num_gpus):
            write(f"{gpu} {num_gpus + gpu // g} {NVLINK_BANDWIDTH} {NVLINK_LATENCY} {ERROR_RATE}\n")
            for switch, count in by_gpu.get(gpu, []):
                write(f"{gpu} {switch} {_bandwidth(count * endpoint_bw)} {LINK_LATENCY} {ERROR_RATE}\n")
        switch_bw = design.switch.port_speed_gbps
        for a, z, count in fabric:
            write(f"{a} {z} {_bandwidth(count * switch_bw)} {LINK_LATENCY} {ERROR_RATE}\n")
    return num_links
