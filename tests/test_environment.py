"""The set-up files agree: environment.yml pins the same versions as the pip constraints, and
every dependency declared in pyproject.toml is pinned."""

from __future__ import annotations

import re
import tomllib

import yaml

from demining_sdg import paths

REQUIRED = {"pandas", "matplotlib", "seaborn", "jupyter", "nbconvert", "papermill"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[normalise(name)] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins = {}
    for entry in env["dependencies"]:
        if isinstance(entry, str) and "=" in entry:
            name, version = entry.split("=", 1)
            pins[normalise(name)] = version
    return pins


def declared() -> set[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["test"]
    return {normalise(re.split(r"[<>=!\[ ]", spec)[0]) for spec in names}


def test_environment_yml_matches_the_constraints():
    pins, conda = constraints(), conda_pins()
    conda.pop("python")
    assert conda, "environment.yml lists no packages"
    mismatched = {name: (version, pins.get(name)) for name, version in conda.items() if pins.get(name) != version}
    assert mismatched == {}


def test_every_declared_dependency_is_pinned_in_both_files():
    pins, conda = constraints(), conda_pins()
    assert declared() - set(pins) == set()
    assert declared() - set(conda) == set()


def test_required_packages_are_dependencies():
    assert REQUIRED <= declared()


def test_ci_runs_exactly_the_readme_test_command():
    ci = (paths.ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]
    assert "make test" in (paths.ROOT / "README.md").read_text()


def test_make_test_runs_every_test_and_the_fast_tier_only_leaves_out_marked_tiers():
    makefile = (paths.ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    pytest_args = re.search(r"-m pytest (.*)", recipe).group(1)
    assert " -m " not in f" {pytest_args}" and " -k " not in f" {pytest_args}", "make test must select every test"
    assert "--hypothesis-profile=full" in pytest_args
    fast = re.search(r"^test-fast:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert '-m "$(FAST_TIER)"' in fast and "--hypothesis-profile=fast" in fast
    tier = re.search(r"^FAST_TIER := (.*)$", makefile, re.M).group(1).strip()
    assert re.fullmatch(r"not \w+( and not \w+)*", tier), tier  # leaves out whole marked tiers, nothing else
    ini = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    markers = {line.split(":")[0] for line in ini["markers"]}
    assert set(re.findall(r"not (\w+)", tier)) <= markers


def test_every_file_the_package_reads_is_in_its_installed_package_data():
    """A non-editable install (a wheel) holds only the .py files and the package-data patterns:
    a data file of the package that no pattern names is missing there."""
    setuptools = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setuptools["package-data"]["demining_sdg"]
    files = [p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}]
    assert files, "the package holds no data files: the test would check nothing"
    relative = [p.relative_to(paths.PACKAGE_DIR) for p in files if "__pycache__" not in p.parts]
    assert [str(p) for p in relative if not any(p.match(pattern) for pattern in patterns)] == []
