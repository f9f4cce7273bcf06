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
# # Key figures
#
# **Question:** where does mine action stand today, in the latest dated figures?
#
# A table at the front of the report gives the latest figure of each kind the sources state. Below,
# each card gives the latest cumulative value for one scope, the date it refers to and the source
# behind it. Values keep the source's own qualifier ("about", "over"). Cumulative figures from
# different geographies or programmes are never added together; weekly and monthly bulletins are
# never shown as cumulative or annual figures.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import key_figures
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
ch.show(key_figures.GLANCE)

# %%
ch.show(key_figures.FINDINGS)

# %%
ch.show(key_figures.CARDS)

# %% [markdown]
# Announcements of funding are statements of intent or allocation, not audited disbursements;
# the funding chapter sets them out donor by donor.
