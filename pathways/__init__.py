"""Pathways: a cited knowledge model of Step Up / Step Down procedures.

The policy facts live in ``ontology/`` (Turtle). This package loads them, derives the
pathway graphs, validates case records against them and renders them; it holds no
policy fact of its own.
"""

__version__ = "0.1.0"
