"""The physical plan of a design: ports, racks, cable lengths and classes.

``ports`` names the devices and assigns every cable its ports; ``layout`` places the devices in racks,
gives each cable a length and a class, and prices the plan by length. Below both ``metrics`` (rack
faults) and ``export`` (every format writes this plan).
"""
