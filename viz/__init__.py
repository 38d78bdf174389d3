"""Graphviz rendering of pathway graphs (flowcharts, case overlays)."""
