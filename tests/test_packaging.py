"""The package installs as a user installs it: a wheel, non-editable, in a fresh environment.

The wheel is built from this checkout and installed into a new virtual environment whose
only other packages are the dependencies already installed for the tests (no download);
the commands then run from a folder outside the checkout, so nothing can be found by
accident in the working tree. The policy model, the shapes and the sample cases must come
from inside the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # the installed package must find its own data, whatever model the test run points at
    env = {k: v for k, v in os.environ.items() if k != "PATHWAYS_ONTOLOGY"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, str]:
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(work), str(ROOT)],
        cwd=work,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next(work.glob("*.whl"))
    environment = work / "env"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    own_site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work)
    # the dependencies come from the test environment; pathways itself only from the wheel
    (Path(own_site.stdout.strip()) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], work)
    assert install.returncode == 0, install.stdout + install.stderr
    outside = work / "elsewhere"
    outside.mkdir()
    return environment, outside, built.stdout + built.stderr + install.stdout + install.stderr


def test_building_and_installing_gives_no_deprecation_warning(installed):
    _, _, output = installed
    assert "deprecat" not in output.casefold(), output


def test_the_installed_package_is_the_wheel_with_its_data_inside(installed):
    environment, outside, _ = installed
    probe = "import pathways, pathways.model.resources as r; print(pathways.__file__); print(r.ONTOLOGY_DIR)"
    done = _run([str(environment / "bin" / "python"), "-c", probe], outside)
    assert done.returncode == 0, done.stderr
    package, ontology = done.stdout.split()
    assert str(environment) in package and str(ROOT) not in package
    assert ontology.startswith(str(environment)) and ontology.endswith("_data/ontology")


def test_the_installed_commands_work_outside_the_checkout(installed):
    environment, outside, _ = installed
    pathways = str(environment / "bin" / "pathways")
    listed = _run([pathways, "list"], outside)
    assert listed.returncode == 0, listed.stderr
    assert "knowsley" in listed.stdout and "cheshire-east" in listed.stdout
    sample = _run(
        [str(environment / "bin" / "python"), "-c", "import pathways; print(pathways.SAMPLE_CASES)"], outside
    ).stdout.strip()
    assert sample.startswith(str(environment))
    validated = _run([pathways, "validate", sample, "--format", "csv", "-o", "findings.csv"], outside)
    assert validated.returncode == 1, validated.stderr  # the sample has violations on purpose
    assert "cases in: 24; audited: 24; rejected: 0" in validated.stderr
    assert (outside / "findings.csv").read_text().startswith("case_id,severity,rule")
    rendered = _run([pathways, "render", "knowsley", "step-up-planned", "-o", "chart.svg"], outside)
    assert rendered.returncode == 0, rendered.stderr
    assert "<svg" in (outside / "chart.svg").read_text()
    checked = _run([pathways, "check"], outside)  # the model shapes and the policy texts ship too
    assert checked.returncode == 0 and "no problems" in checked.stderr, checked.stderr


def test_the_worked_example_of_a_new_authority_ships_too(installed):
    environment, outside, _ = installed
    probe = (
        "import pathways.model.resources as r; "
        "print(*sorted(p.name for p in (r.EXAMPLES_DIR / 'new-authority').iterdir()))"
    )
    done = _run([str(environment / "bin" / "python"), "-c", probe], outside)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["example-borough-step-up-step-down.txt", "example-borough.ttl"]
