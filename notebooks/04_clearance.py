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
# # Clearance and land release
#
# **Question:** how much land has been cleared and how many mines and items of unexploded ordnance
# destroyed, and how far is clearance from the official target?
#
# The chapter keeps apart figures that are often mixed up: an earlier programme whose totals ended
# on a date, the area the report focuses on, and statements about the whole country. Their
# cumulative totals are never added together. Rounded and inconsistent press figures are shown and
# marked, not dropped; weekly and monthly bulletins are shown in their own section, never as annual
# or cumulative figures.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import clearance
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
ch.show(clearance.SUMMARY)

# %%
ch.show(clearance.FINDINGS)

# %%
ch.show(clearance.TERMS_TABLE)

# %%
ch.show(clearance.BY_METHOD)

# %%
ch.show(clearance.ENDED_ITEMS)

# %%
ch.show(clearance.ENDED_AREA)

# %%
ch.show(clearance.ENDED_TABLE)

# %%
ch.show(clearance.ITEMS)

# %%
ch.show(clearance.OFF_SERIES)

# %%
ch.show(clearance.ANNUAL_ITEMS)

# %%
ch.show(clearance.INCREMENTS)

# %%
ch.show(clearance.AREA_BY_YEAR)

# %%
ch.show(clearance.AREA_PARTIAL)

# %%
ch.show(clearance.AREA_CONFLICTS)

# %%
ch.show(clearance.AREA_TABLE)

# %%
ch.show(clearance.CUMULATIVE_AREA)

# %%
ch.show(clearance.TARGETS)

# %%
ch.show(clearance.RELEASED)

# %% [markdown]
# Weekly and monthly bulletins report one week's or one month's work. They are listed as the sources
# word them and are never added up into annual or cumulative figures.

# %%
ch.show(clearance.BULLETINS_TABLE)

# %%
ch.show(clearance.BULLETINS_CHART)
