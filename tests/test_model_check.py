"""`pathways check`: the model checks itself.

Each mistake below is one a newcomer made while encoding a third authority, and each
passed silently before (a branch dropped, twelve weeks audited as twelve days, a rule that
stopped applying, a decision that became an untyped node, every case of a role rejected, a
made-up quote). Planted one at a time in a copy of the Knowsley file, each must give one
line naming the file, the subject and what is wrong, and exit 2; the shipped model passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app
from pathways.model.checking import check_model
from pathways.model.resources import AUTHORITIES_DIR

KNOWSLEY = AUTHORITIES_DIR / "knowsley.ttl"
TEXT = KNOWSLEY.read_text(encoding="utf-8")


def _once(old: str, new: str) -> str:
    assert TEXT.count(old) >= 1, old
    return TEXT.replace(old, new, 1)


MISTAKES = {
    "transition to a missing node": (
        _once(
            "pw:next [ pw:to kn:step-up-unplanned.csc-involvement-warranted ;",
            "pw:next [ pw:to kn:step-up-unplanned.csc-involvment-warranted ;",
        ),
        "leads to kn:step-up-unplanned.csc-involvment-warranted, which is not a step of its pathway",
    ),
    "unit typo": (
        re.sub(r"time:unitType time:unitWeek\b", "time:unitType time:unitWeeks", TEXT, count=1),
        "time:unitType time:unitWeeks is not a unit of the vocabulary",
    ),
    "modality typo": (
        re.sub(r"pw:modality pw:Should\b", "pw:modality pw:Shuold", TEXT, count=1),
        "uses pw:Shuold, which ontology/vocabulary.ttl does not define",
    ),
    "class typo": (
        _once("a pw:Decision ;", "a pw:Decison ;"),
        "uses pw:Decison, which ontology/vocabulary.ttl does not define",
    ),
    "role without an authority": (
        re.sub(
            r"(kn:role-family-first-case-manager a pw:Role ;(?:.|\n)*?)\n    pw:authority kn:authority ;",
            r"\1",
            TEXT,
            count=1,
        ),
        "a role needs exactly one pw:authority",
    ),
    "made-up quote": (
        _once(
            'pw:quote "From time to time MASH will receive referrals for children/families with Early Help support." ;',
            'pw:quote "MASH always phones the family first." ;',
        ),
        "the quote 'MASH always phones the family first.' is not in the policy text word for word",
    ),
    "level of another authority": (
        _once("pw:fromLevel kn:level-cin ;", "pw:fromLevel <https://w3id.org/stepupdown/cheshire-east/level-cin> ;"),
        "which is not a level of the pathway's authority's pw:LevelScheme",
    ),
    "citation of another authority's paragraph": (
        _once("    pw:source kn:s5 ;\n", "    pw:source <https://w3id.org/stepupdown/cheshire-east/s1.1> ;\n"),
        "a section of another authority's policy",
    ),
    "policy without an issue date": (
        _once('    dcterms:issued "2020-06"^^xsd:gYearMonth ;\n', ""),
        "needs dcterms:issued",
    ),
}


def test_the_shipped_model_passes():
    assert check_model() == []
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_one_line_naming_file_subject_and_problem(mistake: str, tmp_path: Path) -> None:
    text, expected = MISTAKES[mistake]
    assert text != TEXT, "the mistake was not planted"
    planted = tmp_path / "knowsley.ttl"
    planted.write_text(text, encoding="utf-8")
    problems = check_model([planted])
    assert [p for p in problems if expected in p.message], problems
    assert all(p.file == str(planted) for p in problems)
    result = CliRunner().invoke(app, ["check", str(planted)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if expected in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{planted}: kn:") or lines[0].startswith(f"{planted}: a transition")


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(tmp_path / "nowhere.ttl")])
    assert result.exit_code == 2
    assert result.output.strip() == f"pathways: error: {tmp_path / 'nowhere.ttl'}: no such file"


LOADER_REFUSES = [
    "transition to a missing node",
    "unit typo",
    "modality typo",
    "class typo",
    "role without an authority",
    "policy without an issue date",
]


@pytest.mark.parametrize("mistake", LOADER_REFUSES)
def test_the_loader_refuses_a_model_with_a_silent_mistake(mistake: str, tmp_path: Path) -> None:
    """The CLI and the explorer never run on a model that would quietly draw or audit the wrong thing."""
    import shutil

    from pathways.errors import ModelError
    from pathways.model.loading import load_model
    from pathways.model.resources import ONTOLOGY_DIR

    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, copy)
    text, expected = MISTAKES[mistake]
    (copy / "authorities" / "knowsley.ttl").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(copy)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("run `pathways check`:")
    assert any(line.startswith(f"{copy / 'authorities' / 'knowsley.ttl'}: ") and expected in line for line in lines)


ALIGNMENT = next(AUTHORITIES_DIR.parent.glob("alignments/cheshire-east--knowsley.ttl"))
ALIGNED = ALIGNMENT.read_text(encoding="utf-8")

ALIGNMENT_MISTAKES = {
    # the SKOS direction inverted: "left broadMatch right" says the right level is broader
    "level mapping inverted": (
        ("ce:level-cwd skos:broadMatch kn:level-csc .", "kn:level-csc skos:broadMatch ce:level-cwd ."),
        "al:level-cwd--level-csc",
        "does not state that triple (is its direction inverted?)",
    ),
    "level mapping without a correspondence": (
        ("ce:level-cin skos:exactMatch kn:level-cin .", "ce:level-cin skos:exactMatch kn:level-cin , kn:level-csc ."),
        "ce:level-cin",
        "skos:exactMatch kn:level-csc is stated without a pw:Correspondence citing it",
    ),
    "one-sided correspondence with both sides": (
        (
            "pw:left ce:level-universal ; pw:noCounterpart true ;",
            "pw:left ce:level-universal ; pw:right kn:level-2 ; pw:noCounterpart true ;",
        ),
        "al:level-universal",
        "needs both pw:left and pw:right, or one of them and pw:noCounterpart true",
    ),
}


@pytest.mark.parametrize("mistake", ALIGNMENT_MISTAKES)
def test_each_alignment_mistake_is_one_line(mistake: str, tmp_path: Path) -> None:
    (old, new), subject, expected = ALIGNMENT_MISTAKES[mistake]
    assert ALIGNED.count(old) == 1, old
    planted = tmp_path / ALIGNMENT.name
    planted.write_text(ALIGNED.replace(old, new), encoding="utf-8")
    problems = check_model([planted])
    assert [str(p) for p in problems if expected in p.message] == [
        f"{planted}: {subject}: " + next(p.message for p in problems if expected in p.message)
    ], problems
    assert CliRunner().invoke(app, ["check", str(planted)]).exit_code == 2
