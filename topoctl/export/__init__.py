"""Exports of a design to the formats of the tools that build and run a fabric.

``job`` ties a design to its physical plan (``topoctl.physical``: ports, racks, cable lengths), one
module per format writes it (atomically, see ``atomic``), and ``run.export`` picks the format by name.
"""
