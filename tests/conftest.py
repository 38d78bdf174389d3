"""Shared fixtures: paths to the shipped examples and the small hand-written case files."""

from __future__ import annotations

import csv
import json
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "examples" / "sample-cases.csv"
SAMPLE_TRUTH = ROOT / "examples" / "sample-cases-truth.csv"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def sample_csv() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_truth() -> list[dict[str, str]]:
    with SAMPLE_TRUTH.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def tabled_pathways() -> set[tuple[str, str]]:
    """The pathways each authority's expectation table (``tests/authorities/<id>/``) says
    its documents describe, written from the documents."""
    found = set()
    for table in sorted((Path(__file__).parent / "authorities").glob("*/document.json")):
        found |= {(table.parent.name, p["id"]) for p in json.loads(table.read_text(encoding="utf-8"))["pathways"]}
    return found


@pytest.fixture(scope="session")
def expected_pathways() -> set[tuple[str, str]]:
    """The pathways of the authorities that have expectation tables (a model may hold more
    authorities: their pathways are checked by the generic tests)."""
    return tabled_pathways()


@pytest.fixture(scope="session")
def tabled_authorities(expected_pathways: set[tuple[str, str]]) -> set[str]:
    return {authority for authority, _ in expected_pathways}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test (covers urllib, http.client, requests)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the test tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
