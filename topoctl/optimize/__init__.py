"""OR-Tools sizing: the cheapest design of the allowed families that meets a requirement.

``requirement`` (what is asked), ``candidates`` (family shapes and closed forms), ``model`` (CP-SAT,
the only module that imports ortools), ``result`` (rebuild, check, explain infeasibility).
"""

from topoctl.optimize.result import InfeasibleError, SizedDesign, SizingResult, size
from topoctl.requirement import Requirement, load_requirement, parse_requirement

__all__ = [
    "Requirement",
    "load_requirement",
    "parse_requirement",
    "size",
    "SizedDesign",
    "SizingResult",
    "InfeasibleError",
]
