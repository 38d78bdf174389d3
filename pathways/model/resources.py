"""Where the shipped data lives: the policy model, the SHACL shapes and the sample cases.

In a checkout they are the top-level folders ``ontology/``, ``shapes/`` and ``examples/``
(the design card keeps them there, beside the code that reads them). A wheel carries the
same folders as package data under ``pathways/_data/`` (see ``pyproject.toml``), found
through :mod:`importlib.resources`, so an installed ``pathways`` needs no checkout.

>>> (ONTOLOGY_DIR / "vocabulary.ttl").is_file()
True
>>> sorted(p.name for p in (ONTOLOGY_DIR / "authorities").glob("*.ttl"))[:1]
['cheshire-east.ttl']
"""

from __future__ import annotations

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


ONTOLOGY_DIR = data_dir("ontology")
VOCABULARY = ONTOLOGY_DIR / "vocabulary.ttl"
AUTHORITIES_DIR = ONTOLOGY_DIR / "authorities"
ALIGNMENTS_DIR = ONTOLOGY_DIR / "alignments"
SOURCES_DIR = ONTOLOGY_DIR / "sources"
SHAPES_DIR = data_dir("shapes")
EXAMPLES_DIR = data_dir("examples")
SAMPLE_CASES = EXAMPLES_DIR / "sample-cases.csv"
