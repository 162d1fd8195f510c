"""What a full bisection asks of a design: the endpoint ports a balanced cut must carry across, and a
cut's share of that (used by the family interface, its sizing and the report)."""

from __future__ import annotations

__all__ = ["bisection_demand_ports", "bisection_ratio"]


def bisection_demand_ports(num_endpoint_ports: int, planes: int = 1) -> int:
    """Endpoint ports a full bisection must carry across: floor(n/2) in each plane of n endpoint ports.
    A balanced cut of an odd n separates at most floor(n/2) pairs, so "full" is floor(n/2) x endpoint
    speed (N/2 for even N, the usual definition: Leiserson 1985; DeepSeek-V3 Table 3).

    >>> bisection_demand_ports(2049)  # one endpoint has no partner across
    1024
    >>> bisection_demand_ports(16384, planes=8)  # 2048 ports a plane, 1024 across in each
    8192
    """
    return planes * ((num_endpoint_ports // planes) // 2)


def bisection_ratio(cut_gbps: float, demand_ports: int, endpoint_gbps: float) -> float:
    """The cut over the full bisection; 1.0 when no pair needs separating (fewer than two ports a plane)."""
    return cut_gbps / (demand_ports * endpoint_gbps) if demand_ports else 1.0
