"""The layout holds: stages import one way, the vocabulary is closed, imports change nothing.

These are properties of the code itself, so they are tests: a forbidden import, a
misspelt vocabulary term or a module that changes the process when imported fails here.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import pathways
from pathways.model.resources import VOCABULARY
from pathways.model.vocabulary import PW

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ["model", "cases", "audit", "audit.engines", "compare", "render", "cli"]


def test_import_contracts_hold():
    """The contracts in pyproject.toml: model <- cases <- audit | compare <- render <- cli,
    and nothing but the CLI imports viz, the explorer or Streamlit."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.split("Contracts:")[-1].split("\n")[0].replace("0 broken", "")


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_each_stage_says_what_lives_there_and_what_it_may_import(name):
    module = __import__(f"pathways.{name}", fromlist=["__doc__"])
    assert module.__doc__ and len(module.__doc__.split()) > 15, name


def _code_files():
    for folder in ("pathways", "viz", "explorer", "benchmarks"):
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "app.py"


def test_nothing_imports_another_sub_packages_private_names():
    offences = []
    for path in [*_code_files(), *(ROOT / "tests").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        here = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"pathways", "viz"}:
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "__version__":
                        offences.append(f"{here}: from {node.module} import {alias.name}")
    assert not offences, offences


def test_the_vocabulary_namespace_matches_the_vocabulary_term_for_term():
    vocabulary = Graph().parse(VOCABULARY)
    namespace = str(PW)
    defined = {
        str(s)[len(namespace) :]
        for s in vocabulary.subjects()
        if isinstance(s, URIRef) and str(s).startswith(namespace) and str(s) != namespace
    }
    declared = set(PW.__annotations__)
    assert declared == defined, {"in the Turtle only": defined - declared, "in the code only": declared - defined}


def test_a_misspelt_vocabulary_term_is_an_error_where_it_is_written():
    with pytest.raises(AttributeError, match="Pathwya"):
        PW.Pathwya  # noqa: B018


def test_the_public_api_lists_what_it_loads():
    assert set(pathways.__all__) == {"__version__", *pathways._API}
    for name in pathways.__all__:
        assert getattr(pathways, name) is not None, name


def test_importing_every_module_changes_nothing_in_the_process():
    """No module registers plugins, silences loggers, raises the CSV field limit or
    registers XML namespaces when imported: that happens where an engine or reader runs."""
    found = {m.name for m in pkgutil.walk_packages([str(ROOT / "pathways")], "pathways.")}
    found |= {m.name for m in pkgutil.walk_packages([str(ROOT / "viz")], "viz.")}
    modules = sorted(name for name in found if not name.endswith("__main__"))  # that one runs the CLI
    probe = f"""
import csv, logging, xml.etree.ElementTree as ET, importlib
from rdflib import plugin
from rdflib.query import Processor
def state():
    return (csv.field_size_limit(), logging.getLogger("rdflib.term").level, dict(ET._namespace_map),
            plugin.get("sparql", Processor).__name__)
before = state()
for name in {modules!r}:
    importlib.import_module(name)
after = state()
assert before == after, (before, after)
print(len({modules!r}))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) >= 40
