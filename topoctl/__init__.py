"""topoctl: a network topology designer for AI clusters."""

__version__ = "0.1.0"
