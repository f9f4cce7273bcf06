"""What the reader needs to trust a render: inputs' hashes, versions, commit and time."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from demining_sdg import paths

REPORTED_PACKAGES = (
    "demining_sdg",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "pandera",
    "pydantic",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jinja2",
    "python-pptx",
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """A folder or file as the report may show it: relative to the project, else by its name
    alone (never an absolute path of the build machine)."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(paths.ROOT).as_posix() or "."
    except ValueError:
        return f"(outside the project)/{resolved.name}"


def input_hashes(files: list[Path]) -> dict[str, str]:
    return {display_path(f): sha256_of(f) for f in sorted(files, key=display_path)}


def code_files() -> list[Path]:
    """Files whose change makes the published report stale (besides the data)."""
    files = paths.chapter_notebooks() + [paths.DEFAULT_PARAMS_FILE]
    files += sorted(p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def code_fingerprint() -> str:
    """One sha256 of the notebooks, the parameters file and every file of the package."""
    digest = hashlib.sha256()
    for path, file_hash in input_hashes(code_files()).items():
        digest.update(f"{path}\0{file_hash}\n".encode())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in REPORTED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def git_commit() -> str:
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return "unknown (not a git checkout)"
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!report", ":!figures")
    return commit + (" (with uncommitted changes)" if dirty else "")


def render_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    committed = _git("log", "-1", "--format=%ct")
    if committed and committed.isdigit():
        return dt.datetime.fromtimestamp(int(committed), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
