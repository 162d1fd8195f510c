"""NVIDIA Air topology (JSON import, Air 2.0): a slice of the fabric as a simulation.

Format (NVIDIA Air documentation, "Custom Topology", Importing Custom Topologies with External Files,
JSON; CumulusNetworks/docs content/nvidia-air-v2/Custom-Topology.md):
``{"format": "JSON", "title": ..., "ztp": null, "content": {"nodes": {NAME: {"cpu", "memory",
"storage", "os"}}, "links": [[{"node", "interface"}, {"node", "interface"}], ...]}}``; memory in MB,
storage in GB. NVIDIA recommends JSON over DOT for its validation and scale.

The slice is ``topoctl.export.lab``'s (``--subset``, or the default slice). Switches run
``--switch-os``: ``cumulus`` (``cumulus-vx-5.16.1``, the documentation's example image) names switch
ports ``swp<N>``, a breakout lane ``swp<N>s<L-1>`` (Air's breakout names swp1s0-swp1s3, same page,
"Breakout Ports"); ``sonic`` (``sonic-vs-202305``) names them ``eth<N>``, as the documentation's SONiC
example does. Nodes run ``generic/ubuntu2404`` with node port ``nic<j>`` as ``eth<j>`` (``eth0`` is the
out-of-band management port Air adds). Resources are the documentation example's: switches 2 CPUs,
4,096 MB, 20 GB; servers 2 CPUs, 2,048 MB, 10 GB. The out-of-band network is left to Air's default
(enabled).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from topoctl.catalog import SwitchModel
from topoctl.errors import ExportError
from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.lab import lab_slice, port_numbers

__all__ = ["write_air", "SWITCH_OS", "DEFAULT_SWITCH_OS", "air_interface"]

SWITCH_OS = {"cumulus": "cumulus-vx-5.16.1", "sonic": "sonic-vs-202305"}
DEFAULT_SWITCH_OS = "cumulus"
SERVER_OS = "generic/ubuntu2404"
SWITCH_RESOURCES = {"cpu": 2, "memory": 4096, "storage": 20}
SERVER_RESOURCES = {"cpu": 2, "memory": 2048, "storage": 10}


def air_interface(switch_os: str, port: str, switch: SwitchModel | None = None) -> str:
    """A switch port of the port plan (on ``switch``) as the OS names it in Air."""
    numbers = port_numbers(port, switch)
    if switch_os == "cumulus":
        return f"swp{numbers[0]}" + (f"s{numbers[1] - 1}" if len(numbers) > 1 else "")
    # SONiC in Air numbers its ports ethN with no breakout names: the port's number on the switch
    return f"eth{switch.port_number(port) if switch is not None else numbers[0]}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_air(job: ExportJob, out: Path, *, subset: str | None = None, endpoints: bool = True,
              switch_os: str | None = None) -> int:
    """Write the topology; returns the number of links."""
    os_name = switch_os or DEFAULT_SWITCH_OS
    if os_name not in SWITCH_OS:
        raise ExportError(f"--switch-os {os_name} is not an NVIDIA Air image here; valid: {', '.join(SWITCH_OS)}")
    lab = lab_slice(job, subset, endpoints)
    switches = set(lab.switches)

    def end(device: str, port: str) -> dict[str, str]:
        if device not in switches:
            return {"node": device, "interface": f"eth{port_numbers(port)[0]}"}
        name = air_interface(os_name, port, job.model_of(device))
        return {"node": device, "interface": name}

    title = job.design.name + (f" ({lab.subset})" if lab.subset else "")
    if lab.dropped_endpoint_links:
        title += f" without {lab.dropped_endpoint_links:,} endpoint links"
    with atomic_text(out) as handle:
        write = handle.write
        write('{"format": "JSON", "title": ' + _json(title) + ', "ztp": null, "content": {\n "nodes": {\n')
        entries = [(s, {**SWITCH_RESOURCES, "os": SWITCH_OS[os_name]}) for s in lab.switches]
        entries += [(n, {**SERVER_RESOURCES, "os": SERVER_OS}) for n in lab.nodes]
        write(",\n".join(f"  {_json(name)}: {_json(data)}" for name, data in entries))
        write('\n },\n "links": [\n')
        write(",\n".join("  " + _json([end(link.a_device, link.a_port), end(link.z_device, link.z_port)])
                         for link in lab.links))
        write("\n ]}}\n")
    return len(lab.links)
