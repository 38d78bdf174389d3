"""Where the shipped data lives: the policy model, the SHACL shapes and the sample cases.

In a checkout they are the top-level folders ``ontology/``, ``shapes/`` and ``examples/``
(the design card keeps them there, beside the code that reads them). A wheel carries the
same folders as package data under ``pathways/_data/`` (see ``pyproject.toml``), found
through :mod:`importlib.resources`, so an installed ``pathways`` needs no checkout. The
environment variable ``PATHWAYS_ONTOLOGY`` points every command at another copy of
``ontology/`` (read when ``pathways`` is first imported).

>>> (ONTOLOGY_DIR / "vocabulary.ttl").is_file()
True
>>> sorted(p.name for p in (ONTOLOGY_DIR / "authorities").glob("*.ttl"))[:1]
['cheshire-east.ttl']
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = [
    "ALIGNMENTS_DIR",
    "AUTHORITIES_DIR",
    "EXAMPLES_DIR",
    "ONTOLOGY_DIR",
    "SAMPLE_CASES",
    "SHAPES_DIR",
    "SOURCES_DIR",
    "VOCABULARY",
    "data_dir",
    "ontology_dir",
]


def data_dir(name: str) -> Path:
    """The folder of shipped data called ``name`` ("ontology", "shapes" or "examples").

    The packaged copy is used when there is one (an installed wheel); otherwise the
    checkout's top-level folder (a source tree or an editable install).
    """
    packaged = files("pathways") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


def ontology_dir() -> Path:
    """The policy model's folder: ``$PATHWAYS_ONTOLOGY`` when set (a policy author's draft
    copy, checked and explored without touching the shipped model), else the shipped one."""
    override = os.environ.get("PATHWAYS_ONTOLOGY")
    return Path(override).expanduser().resolve() if override else data_dir("ontology")


ONTOLOGY_DIR = ontology_dir()
VOCABULARY = ONTOLOGY_DIR / "vocabulary.ttl"
AUTHORITIES_DIR = ONTOLOGY_DIR / "authorities"
ALIGNMENTS_DIR = ONTOLOGY_DIR / "alignments"
SOURCES_DIR = ONTOLOGY_DIR / "sources"
SHAPES_DIR = data_dir("shapes")
EXAMPLES_DIR = data_dir("examples")
SAMPLE_CASES = EXAMPLES_DIR / "sample-cases.csv"
