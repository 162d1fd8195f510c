"""The export formats' names, what each one's count means and who reads it: plain data, so the CLI's
help lists them without importing the exporters."""

from __future__ import annotations

__all__ = ["READERS", "formats_help"]

# name -> (what the count the writer returns means, who reads the file)
READERS: dict[str, tuple[str, str]] = {
    "design": ("cables", "topoctl itself: design, export, faults and moe load it back"),
    "cabling": ("cables", "installers: a CSV row per cable with racks, class, length"),
    "bom": ("cables", "purchasing: switches, cables, optics, prices (.csv or YAML)"),
    "netbox": ("cables", "NetBox bulk import: a directory of YAML files, in order"),
    "containerlab": ("links", "containerlab deploy: a lab of a slice (--subset)"),
    "air": ("links", "NVIDIA Air JSON import: a simulation of a slice (--subset)"),
    "ansible": ("hosts", "ansible-inventory: hosts by role, plane, pod, rack"),
    "ib-topo": ("cables", "ibutils IBDM, ibdiagnet -t: topology + .ibnl (directory)"),
    "dot": ("cables", "Graphviz; networkx nx_agraph / nx_pydot read_dot"),
    "graphml": ("cables", "networkx read_graphml, igraph, Gephi, yEd, SST Merlin"),
    "node-link": ("cables", "networkx node_link_graph, d3.js (JSON)"),
    "booksim": ("router pairs", "BookSim2 anynet network_file"),
    "simai": ("links", "SimAI and its ns-3 backend: the -n topology file"),
}


def formats_help() -> str:
    """One line per format for ``topoctl export --help`` (``\\b`` keeps click from re-wrapping it)."""
    width = max(map(len, READERS))
    return "\b\n" + "\n".join(f"{name:<{width}}  {reader}" for name, (_, reader) in READERS.items())
