"""Exports of a design to the formats of the tools that build and run a fabric.

``ports`` assigns ports and names, ``layout`` places racks and sizes cables, ``job`` ties a design
to both, one module per format writes it (atomically, see ``atomic``), and ``run.export`` picks the
format by name.
"""
