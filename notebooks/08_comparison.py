# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Comparison with another mine action programme
#
# **Question:** how far has another mine action programme come towards its own goals, and how do its
# latest figures compare with those of the report's focus country?
#
# The programme compared is the one the focus country's profile names. Where it has a national ceiling
# on casualties of mines and explosive remnants of war (ERW) a year, the chapter sets its annual casualty
# counts against that ceiling; it then looks
# at its land release, its remaining contamination and its clearance deadline, as far as the data go.
# A last table sets the latest figures of both countries side by side, each with its own scope.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import comparison
from demining_sdg.present.chapter import open_chapter

# %%
ch = open_chapter(
    country=country,
    first_year=first_year,
    last_year=last_year,
    currency=currency,
    data_dir=data_dir,
    figures_dir=figures_dir,
    outlook=outlook,
)

# %%
ch.show(comparison.FINDINGS)

# %%
ch.show(comparison.CASUALTY_CHART)

# %%
ch.show(comparison.CASUALTY_TABLE)

# %%
ch.show(comparison.SECONDARY)

# %%
ch.show(comparison.PART_YEAR_TABLE)

# %%
ch.show(comparison.PART_YEAR_CONFLICTS)

# %%
ch.show(comparison.LAND_RELEASED_CHART)

# %%
ch.show(comparison.LAND_RELEASED_CONFLICTS)

# %%
ch.show(comparison.LAND_RELEASED_PERIODS)

# %%
ch.show(comparison.CLEARED_CHART)

# %%
ch.show(comparison.CLEARED_TABLE)

# %%
ch.show(comparison.DEADLINES)

# %%
ch.show(comparison.SIDE_BY_SIDE)

# %%
ch.show(comparison.SIDE_BY_SIDE_CAVEAT)
