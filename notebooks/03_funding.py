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
# # Funding
#
# **Question:** who pays for mine action, how much have donors announced, and how does this compare
# with mine action funding worldwide?
#
# Landmine Monitor's annual tables give national and international contributions as published. Donor
# statements are announcements, pledges, commitments or stated cumulative totals, not audited
# disbursements: they are listed one by one, converted to the reporting currency at the European Central
# Bank reference rate of their value date, and never added up.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import funding
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
ch.show(funding.SUMMARY)

# %%
ch.show(funding.FINDINGS)

# %%
ch.show(funding.CONTRIBUTIONS_CHART)

# %%
ch.show(funding.CONTRIBUTIONS_TABLE)

# %%
ch.show(funding.TOTALS_CHART)

# %%
ch.show(funding.ANNOUNCEMENTS)

# %%
ch.show(funding.RATES_TABLE)

# %%
ch.show(funding.SAME_DAY)

# %%
ch.show(funding.IN_KIND)

# %%
ch.show(funding.SHARES)

# %%
ch.show(funding.SHARE_CONFLICT)

# %%
ch.show(funding.WORLD_CHART)

# %%
ch.show(funding.WORLD_REVISIONS)
