"""Every project path, derived from the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
REPORT_DIR = ROOT / "report"
PARAMS_DIR = ROOT / "params"
DEFAULT_PARAMS_FILE = PARAMS_DIR / "report.yaml"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
HOUSE_STYLE = PACKAGE_DIR / "house.mplstyle"
CONTRACT_FILE_NAME = "datapackage.json"
REPORT_FILE_NAME = "index.html"
DECK_FILE_NAME = "briefing_deck.pptx"


def chapter_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report's chapters, in reading order: notebooks named NN_<topic>.ipynb."""
    return sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
