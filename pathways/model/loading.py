"""Loading the policy model: the vocabulary plus one Turtle file per authority.

Adding an authority means adding one file under ``ontology/authorities/`` (and, for
comparison, its alignment under ``ontology/alignments/``); nothing here names an
authority. Files are parsed locally: ``owl:imports`` is refused rather than followed,
so loading never touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.exceptions import ParserError

from pathways.errors import ModelError
from pathways.model.resources import ONTOLOGY_DIR
from pathways.model.vocabulary import OWL, PREFIXES


def model_files(ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """The Turtle files that make up the model, vocabulary first, in a stable order."""
    files = [ontology_dir / "vocabulary.ttl"]
    for folder in ("authorities", "alignments"):
        files += sorted((ontology_dir / folder).glob("*.ttl"))
    return files


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file into ``graph``; a syntax error becomes one line naming the file."""
    graph = graph if graph is not None else Graph()
    before = set(graph.subjects(OWL.imports, None))
    try:
        graph.parse(path, format="turtle")
    except (ParserError, SyntaxError, ValueError) as exc:
        detail = " ".join(str(exc).split())
        raise ModelError(f"{path}: not valid Turtle: {detail[:300]}") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    imports = set(graph.subjects(OWL.imports, None)) - before
    if imports:
        raise ModelError(
            f"{path}: owl:imports is not followed (the model loads offline); "
            f"put the imported terms in ontology/ instead"
        )
    return graph


def load_graph(files: Iterable[Path]) -> Graph:
    """One graph of the given Turtle files, with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for path in files:
        parse_turtle(path, graph)
    return graph


@lru_cache(maxsize=4)
def load_model(ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """The whole policy model (cached: the graph is read-only by convention).

    A model with a mistake that would silently change what is drawn or audited is refused,
    one line per problem (see :func:`pathways.model.checking.load_problems`; ``pathways
    check`` runs every check).
    """
    from pathways.model.checking import load_problems

    files = model_files(ontology_dir)
    graph = load_graph(files)
    problems = load_problems(graph, files)
    if problems:
        lines = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ModelError(f"the model has {len(problems)} problem(s); run `pathways check`:\n{lines}{more}")
    return graph
