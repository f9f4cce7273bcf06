"""Every project path. The project folder is found, not assumed from where the package is installed:
``DEMINING_SDG_ROOT`` if set, else the nearest folder (from the working folder upwards) that holds
``params/report.yaml`` and ``notebooks/``, else the source checkout the package was imported from."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _is_project(folder: Path) -> bool:
    return (folder / "params" / "report.yaml").is_file() and (folder / "notebooks").is_dir()


def find_project_root(start: Path | None = None) -> Path:
    """The project folder (see the module docstring)."""
    configured = os.environ.get("DEMINING_SDG_ROOT")
    if configured:
        return Path(configured).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    checkout = PACKAGE_DIR.parents[1]
    return checkout if _is_project(checkout) else here


ROOT = find_project_root()
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
REPORT_DIR = ROOT / "report"
PARAMS_DIR = ROOT / "params"
DEFAULT_PARAMS_FILE = PARAMS_DIR / "report.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "present" / "templates"
CATALOGUE_DIR = PACKAGE_DIR / "present" / "catalogue"
HOUSE_STYLE = PACKAGE_DIR / "present" / "house.mplstyle"
CONTRACT_FILE_NAME = "datapackage.json"
REPORT_FILE_NAME = "index.html"
DECK_FILE_NAME = "briefing_deck.pptx"


def chapter_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report's chapters, in reading order: notebooks named NN_<topic>.ipynb."""
    return sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
