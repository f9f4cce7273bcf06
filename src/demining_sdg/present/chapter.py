"""What a chapter notebook works with: validated parameters, the data, and a place for figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from demining_sdg import paths
from demining_sdg.inputs.datasets import VALIDATED_STAMP, Datasets
from demining_sdg.params import OutlookParams, ReportParams
from demining_sdg.present import show
from demining_sdg.present.figures import save_chart


@cache
def _datasets(data_dir: Path) -> Datasets:
    # A render runs each chapter in a staging folder holding the stamp of the inputs it has
    # just validated; run by hand (no stamp, or other bytes), the chapter validates again.
    return Datasets(data_dir, validated_stamp=Path.cwd() / VALIDATED_STAMP)


class Chapter:
    """The run context one notebook receives from its parameters cell."""

    def __init__(self, params: ReportParams, figures_dir: Path):
        self.params = params
        self.figures_dir = Path(figures_dir)
        self.data = _datasets(params.data_dir.resolve())

    @property
    def country(self) -> str:
        return self.params.country

    @property
    def country_name(self) -> str:
        return self.params.country_name

    def chart(
        self,
        fig: Figure,
        name: str,
        *,
        title: str,
        subtitle: str,
        source: str,
        alt: str,
        data: pd.DataFrame,
    ) -> HTML:
        """Save a finished figure in the house files and return it for display."""
        saved = save_chart(
            fig, name, title=title, subtitle=subtitle, source=source, alt=alt, data=data, out_dir=self.figures_dir
        )
        return show.chart(saved)


def open_chapter(
    *,
    country: str,
    first_year: int,
    last_year: int,
    currency: str,
    data_dir: str = "",
    figures_dir: str = "",
    outlook: dict[str, Any] | None = None,
) -> Chapter:
    """Validate the notebook's parameters and load the data. Empty paths mean the project's folders."""
    params = ReportParams(
        country=country,
        first_year=first_year,
        last_year=last_year,
        currency=currency,
        data_dir=Path(data_dir) if data_dir else paths.DATA_DIR,
        outlook=OutlookParams(**(outlook or {})),
    )
    return Chapter(params, Path(figures_dir) if figures_dir else params.resolved_figures_dir)
