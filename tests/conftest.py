"""Shared fixtures: paths to the shipped examples and the small hand-written case files."""

from __future__ import annotations

import csv
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


@pytest.fixture(scope="session")
def expected_pathways() -> set[tuple[str, str]]:
    """The eight pathways of the two policies, written from the documents."""
    return {
        ("cheshire-east", "step-down-assessment"),
        ("cheshire-east", "step-down-cin"),
        ("cheshire-east", "step-up-immediate"),
        ("cheshire-east", "step-up-early-help"),
        ("knowsley", "step-down-cin"),
        ("knowsley", "step-down-assessment"),
        ("knowsley", "step-up-planned"),
        ("knowsley", "step-up-unplanned"),
    }


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test (covers urllib, http.client, requests)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the test tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
