"""containerlab topology (``NAME.clab.yml``): switches of one kind, endpoint nodes as ``linux``
nodes, links, and a management network sized to the lab.

The lab is a slice of the fabric (``topoctl.export.lab``: ``--subset``, or the default slice: the whole
design when it has up to 64 switches and each fits the kind's ports, else its first plane, pod or
group with the spines it reaches, cut to the kind's ports, at most 253 devices in all).

Switch kinds (``--switch-os``) and their interface names, as containerlab and the images define them:
- ``sonic`` -> kind ``sonic-vs``: ``eth<N>``, N = 1 to 32. containerlab maps ``eth1`` to the first
  front-panel port, ``Ethernet0`` (containerlab docs/manual/kinds/sonic-vs.md, "Interfaces mapping");
  the docker-sonic-vs image's default HwSKU has 32 front-panel ports (sonic-buildimage
  platform/vs/README.vsdocker.md: "Create a docker with 32 front panel port"), so ``eth33`` and up
  reach nothing. No breakout names.
- ``srlinux`` -> kind ``nokia_srlinux``, type ``ixr-h5-64d`` (7220 IXR-H5-64D, 64 QSFP-DD ports):
  ``e1-<N>``, breakout channel ``e1-<N>-<C>`` (docs/manual/kinds/srl.md: ``eL-P``, ``eL-P-C``;
  nodes/srl/srl.go ``InterfaceRegexp``), N = 1 to 64.
- ``eos`` -> kind ``arista_ceos``: ``eth<N>`` (cEOS ``EthernetN``), breakout ``eth<N>_<C>``
  (``EthernetN/C``; docs/manual/kinds/ceos.md; nodes/ceos/ceos.go ``CheckInterfaceName``). containerlab
  documents no port limit for cEOS; the switch's radix bounds it.
Nodes are ``linux`` (``alpine``): node port ``nic<j>`` is ``eth<j>`` (``eth0`` is management).

Each switch keeps its physical port numbers (``p33`` -> ``eth33``) when all of its cabled ports in the
lab have names in the kind's range; otherwise its cabled ports are numbered 1, 2, ... in port order
(the comment on each link gives the physical ports). A switch with more cabled ports in the lab than
the kind has is refused with an error naming the kind, its limit and the switch.

Management: containerlab's default network is ``172.20.20.0/24``, which holds 253 nodes (docker takes
the network, gateway and broadcast addresses: containerlab docs/manual/network.md). The lab's ``mgmt``
block names its own network (the lab's name) and the smallest subnet of ``172.20.0.0/14`` that holds
every node: ``/24`` up to 253 nodes, ``/23`` up to 509, ... ``/14`` up to 262,141.
Schema: containerlab's ``clab.schema.json`` (name, mgmt, topology.kinds, topology.nodes.<name>.kind,
topology.links[].endpoints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

from topoctl.catalog import SwitchModel
from topoctl.errors import ExportError
from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.lab import SELECTORS, LabSlice, lab_slice, port_numbers, ports_by_device, select_switches
from topoctl.export.yamltext import block, flow_map, flow_seq, scalar

__all__ = ["KINDS", "DEFAULT_SWITCH_OS", "SELECTORS", "Kind", "mgmt_subnet", "select_switches", "write_containerlab"]


@dataclass(frozen=True)
class Kind:
    """A containerlab switch kind: its image, node type, how many data ports it maps, and names."""

    kind: str
    image: str
    max_ports: int | None  # None: containerlab documents no limit
    type: str | None = None

    def interface(self, numbers: tuple[int, ...]) -> str | None:
        """The kind's name for port (cage,) or (cage, lane); None when it has none."""
        if self.max_ports is not None and numbers[0] > self.max_ports:
            return None
        if self.kind == "nokia_srlinux":
            return "e1-" + "-".join(map(str, numbers))
        if self.kind == "arista_ceos":
            return "eth" + "_".join(map(str, numbers))
        return f"eth{numbers[0]}" if len(numbers) == 1 else None  # sonic-vs: no breakout names


KINDS = {
    "sonic": Kind("sonic-vs", "docker-sonic-vs:latest", 32),
    "srlinux": Kind("nokia_srlinux", "ghcr.io/nokia/srlinux:latest", 64, "ixr-h5-64d"),
    "eos": Kind("arista_ceos", "ceos:latest", None),
}
DEFAULT_SWITCH_OS = "sonic"
NODE_KIND = "linux"
NODE_IMAGE = "alpine:3.20"
MGMT_BASE = IPv4Network("172.20.0.0/14")
DEFAULT_MGMT = IPv4Network("172.20.20.0/24")  # containerlab's own default, kept where it is large enough
MGMT_RESERVED = 3  # network, gateway and broadcast addresses


def mgmt_subnet(num_nodes: int) -> IPv4Network:
    """The smallest management subnet that holds ``num_nodes`` (ExportError beyond ``MGMT_BASE``)."""
    if num_nodes <= DEFAULT_MGMT.num_addresses - MGMT_RESERVED:
        return DEFAULT_MGMT
    for prefix in range(DEFAULT_MGMT.prefixlen - 1, MGMT_BASE.prefixlen - 1, -1):
        subnet = IPv4Network(f"{MGMT_BASE.network_address}/{prefix}")
        if num_nodes <= subnet.num_addresses - MGMT_RESERVED:
            return subnet
    raise ExportError(f"a lab of {num_nodes:,} nodes needs more management addresses than "
                      f"{MGMT_BASE} holds ({MGMT_BASE.num_addresses - MGMT_RESERVED:,}); pick a smaller --subset")


def lab_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", name).strip("-.") or "topoctl"


def switch_interfaces(kind: Kind, switch: str, ports: list[str], model: SwitchModel) -> dict[str, str]:
    """Port-plan port -> the kind's interface name, for one switch's cabled ports in the lab."""
    named = {port: kind.interface(port_numbers(port, model)) for port in ports}
    if all(named.values()) and len(set(named.values())) == len(named):
        return {port: str(name) for port, name in named.items()}
    if kind.max_ports is not None and len(ports) > kind.max_ports:
        option = "; or --switch-os eos (no port limit)" if kind.kind != "arista_ceos" else ""
        raise ExportError(
            f"containerlab kind {kind.kind} maps {kind.max_ports} data ports, but switch {switch} has "
            f"{len(ports)} cabled ports in this lab; pick a smaller --subset or --no-endpoints{option}")
    return {port: str(kind.interface((i,))) for i, port in enumerate(ports, 1)}


def _node_interface(port: str) -> str:
    return f"eth{port_numbers(port)[0]}"


def write_containerlab(
    job: ExportJob, out: Path, *, subset: str | None = None, endpoints: bool = True, switch_os: str | None = None,
) -> int:
    """Write the lab; returns the number of links."""
    kind = KINDS[switch_os or DEFAULT_SWITCH_OS]
    lab = lab_slice(job, subset, endpoints, kind.max_ports)
    graph = job.plan.graph
    ports = ports_by_device(lab.links)
    names = {s: switch_interfaces(kind, s, ports.get(s, []), job.model_of(s)) for s in lab.switches}
    subnet = mgmt_subnet(len(lab.switches) + len(lab.nodes))
    name = lab_name(job.design.name)
    kind_defaults: dict[str, Any] = {"image": kind.image}
    if kind.type:
        kind_defaults["type"] = kind.type
    header: dict[str, Any] = {
        "name": name,
        "mgmt": {"network": f"{name}-mgmt", "ipv4-subnet": str(subnet)},
        "topology": {"kinds": {kind.kind: kind_defaults, NODE_KIND: {"image": NODE_IMAGE}}},
    }
    with atomic_text(out) as handle:
        write = handle.write
        write(f"# containerlab lab of topoctl design {job.design.name!r}: {_described(lab)}; "
              f"{len(lab.switches)} switches ({kind.kind}), {len(lab.nodes)} nodes, {len(lab.links)} links\n")
        write(block(header))
        write("  nodes:\n")
        for switch in lab.switches:
            data = graph.nodes[switch]
            labels = {"role": data["role"], **{k: str(data[k]) for k in ("plane", "pod", "group") if k in data}}
            write(f"    {scalar(switch)}: {flow_map({'kind': kind.kind, 'labels': labels})}\n")
        for node in lab.nodes:
            write(f"    {scalar(node)}: {flow_map({'kind': NODE_KIND, 'labels': {'role': 'node'}})}\n")
        write("  links:\n" if lab.links else "  links: []\n")
        for link in lab.links:
            a = names[link.a_device][link.a_port] if link.a_device in names else _node_interface(link.a_port)
            z = names[link.z_device][link.z_port]
            write(f"    - endpoints: {flow_seq([f'{link.a_device}:{a}', f'{link.z_device}:{z}'])}"
                  f"  # {link.a_port} -- {link.z_port}\n")
    return len(lab.links)


def _described(lab: LabSlice) -> str:
    text = "the whole design" if lab.subset is None else f"{'default ' if lab.default else ''}subset {lab.subset}"
    if lab.dropped_endpoint_links:
        text += f" without {lab.dropped_endpoint_links:,} endpoint links (each switch keeps its share of the lab)"
    return text
