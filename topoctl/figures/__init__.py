"""Figures drawn from report rows: plots (``plots``, matplotlib) and the self-contained HTML report (``html``).

Both read flat rows (topoctl.sweep.flatten of a report's ``as_dict``, or of a sweep's rows), so they draw
whatever the reports hold: a field a newer report adds (power, optics) appears without a change here.
"""
