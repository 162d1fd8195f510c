"""Expert-parallel MoE traffic with node-limited routing, as a sampled switch-level traffic matrix.

Reference: C. Zhao et al., "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware
for AI Architectures", ISCA 2025 (arXiv 2505.09343), Section 2.3.2: 256 routed experts in 8 groups,
one group per node of G GPUs; each token goes to at most M = 4 nodes; the network carries one copy of
the token per destination node (deduplicated) and NVLink fans it out to the experts inside the node.

Model (each figure states it):
- Nodes: G consecutive endpoint ports. Multi-plane fat trees use their ``endpoints_per_node`` (one plane
  holds G*m/P ports of each node, in the same consecutive order); the other families have no node
  notion, so G = 8 consecutive endpoints on the switches (8 GPUs per node, as in the paper) is assumed.
- Destinations: every source node sends its tokens to M other nodes (node-local experts are reached
  over NVLink and never touch the network), evenly. Which M nodes is sampled with a seed, balanced so
  every node also receives from exactly M nodes (the paper's auxiliary-loss-free load balancing keeps
  experts evenly loaded): a seeded random relabelling of the circulant "node i sends to i+1..i+M".
- Rate: every node injects theta * r per port, split evenly over its M destinations; a destination
  spreads what it receives evenly over its ports. theta is the fraction of line rate reached.
Demand is returned in units of r (line rate) per switch pair, the form the LP and ECMP code take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy stays out of the import path of design reports until a matrix is built
    import scipy.sparse as sp

__all__ = [
    "DEFAULT_MOE_NODES",
    "DEFAULT_MOE_SEED",
    "DEFAULT_ENDPOINTS_PER_NODE",
    "MoeTraffic",
    "sample_targets",
    "moe_traffic",
    "tree_moe",
]

DEFAULT_MOE_NODES = 4  # DeepSeek-V3 node-limited routing
DEFAULT_MOE_SEED = 0
DEFAULT_ENDPOINTS_PER_NODE = 8  # 8 GPUs per node (the paper's H800 nodes)


def sample_targets(num_nodes: int, moe_nodes: int, seed: int) -> np.ndarray:
    """(num_nodes, M') destination nodes per source node, M' = min(M, num_nodes - 1): distinct, never
    the source, every node the destination of exactly M' sources."""
    m = min(moe_nodes, num_nodes - 1)
    order = np.random.default_rng(seed).permutation(num_nodes)
    targets = np.empty((num_nodes, m), dtype=np.int64)
    for shift in range(1, m + 1):
        targets[order, shift - 1] = order[(np.arange(num_nodes) + shift) % num_nodes]
    return targets


@dataclass(frozen=True)
class MoeTraffic:
    """A sampled MoE traffic matrix over the switches of one graph (or one fat-tree plane)."""

    demand: sp.csr_matrix  # switch x switch, units of r; same-switch traffic kept on the diagonal
    ports_per_node: int
    num_nodes: int
    moe_nodes: int  # M actually used (at most num_nodes - 1)
    seed: int
    ingress_cap: float  # theta at which the busiest receiving port reaches line rate (1 for equal nodes)

    @property
    def description(self) -> str:
        return (
            f"MoE node-limited routing: nodes of {self.ports_per_node} consecutive port(s) of the analysed graph, each sending to "
            f"M={self.moe_nodes} other nodes (one copy per node, balanced sample, seed {self.seed})"
        )

    def network_demand(self) -> sp.csr_matrix:
        """The demand between distinct switches (what crosses switch-to-switch cables)."""
        import scipy.sparse as sp

        off = self.demand - sp.diags(self.demand.diagonal())
        off.eliminate_zeros()
        return off.tocsr()


def moe_traffic(endpoints_per_switch: np.ndarray, ports_per_node: int, moe_nodes: int = DEFAULT_MOE_NODES,
                seed: int = DEFAULT_MOE_SEED) -> MoeTraffic:
    """The switch-level demand of the model above. Ports are numbered consecutively over the switches
    in order; node j holds ports [j*G, (j+1)*G) (the last node may hold fewer)."""
    import scipy.sparse as sp

    counts = np.asarray(endpoints_per_switch, dtype=np.int64)
    num_ports = int(counts.sum())
    num_switches = len(counts)
    num_nodes = -(-num_ports // ports_per_node)
    if num_nodes < 2:
        empty = sp.csr_matrix((num_switches, num_switches))
        return MoeTraffic(empty, ports_per_node, num_nodes, 0, seed, 1.0)
    port_switch = np.repeat(np.arange(num_switches), counts)
    port_node = np.arange(num_ports) // ports_per_node
    node_ports = np.bincount(port_node, minlength=num_nodes).astype(np.float64)
    # node -> switch share of the node's ports (a node may straddle two switches)
    share = sp.csr_matrix(
        (1.0 / node_ports[port_node], (port_node, port_switch)), shape=(num_nodes, num_switches)
    )
    targets = sample_targets(num_nodes, moe_nodes, seed)
    m = targets.shape[1]
    sources = np.repeat(np.arange(num_nodes), m)
    node_demand = sp.csr_matrix(
        (node_ports[sources] / m, (sources, targets.ravel())), shape=(num_nodes, num_nodes)
    )
    demand = (share.T @ node_demand @ share).tocsr()
    received_per_port = np.asarray(node_demand.sum(axis=0)).ravel() / node_ports
    cap = float(min(1.0, 1.0 / received_per_port.max()))
    return MoeTraffic(demand, ports_per_node, num_nodes, m, seed, cap)


def tree_moe(traffic: MoeTraffic, up: int, leaves_per_pod: list[int] | None, endpoint_gbps: float,
             link_gbps: float) -> float:
    """Closed form on a sampled matrix for a fat tree whose first switches are its L leaves (the build
    order; ``traffic`` made from ``endpoints_per_leaf``): with every flow spread evenly over all up-paths
    (every switch has the same number of cables to each switch above it), a leaf's u uplinks carry
    exactly the demand leaving the leaf, its downlinks the demand entering it, and a pod's L_p*u
    aggregation-core cables the demand leaving and entering the pod; these cuts bound every routing,
    so theta = min(ingress cap, min over leaves and pods of capacity * c / (r * demand)), exact
    (Leiserson 1985; the cut argument of the all-to-all closed form, on the sampled matrix)."""
    import scipy.sparse as sp

    demand = traffic.demand
    theta = traffic.ingress_cap
    diag = demand.diagonal()
    leaving = np.asarray(demand.sum(axis=1)).ravel() - diag
    entering = np.asarray(demand.sum(axis=0)).ravel() - diag
    busiest = float(np.maximum(leaving, entering).max()) if len(diag) else 0.0
    if busiest > 0:
        theta = min(theta, up * link_gbps / (endpoint_gbps * busiest))
    if leaves_per_pod and len(leaves_per_pod) > 1:
        num_leaves = sum(leaves_per_pod)
        pod_of_leaf = np.repeat(np.arange(len(leaves_per_pod)), leaves_per_pod)
        member = sp.csr_matrix(
            (np.ones(num_leaves), (np.arange(num_leaves), pod_of_leaf)), shape=(demand.shape[0], len(leaves_per_pod))
        )
        pods = (member.T @ demand @ member).toarray()
        pod_diag = np.diag(pods)
        pod_load = np.maximum(pods.sum(axis=1) - pod_diag, pods.sum(axis=0) - pod_diag)
        for leaves, load in zip(leaves_per_pod, pod_load):
            if load > 0:
                theta = min(theta, leaves * up * link_gbps / (endpoint_gbps * load))
    return float(min(1.0, theta))
