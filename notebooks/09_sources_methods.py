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
# # Sources and methods
#
# **Question:** where does every figure in this report come from, how far can each source be trusted, and what
# did the report compute itself?
#
# Every figure in the report comes from a table in the project's data folder, and every row of those tables names
# its source with a verbatim excerpt. This chapter lists all sources by evidence tier, the rows kept for
# transparency but left out of series, the known disagreements between sources, the terms used, the exchange
# rates and the rules by which values are derived. It is the report's audit trail: its tables name each
# observation by its id.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import methods
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
ch.show(methods.FINDINGS)

# %%
ch.show(methods.PARAMETERS)

# %%
ch.show(methods.TIER_CHART)

# %%
ch.show(methods.FLAG_COUNTS)

# %%
ch.show(methods.FLAGGED_ROWS)

# %%
ch.show(methods.DISAGREEMENTS)

# %%
ch.show(methods.CLAIMS)

# %%
ch.show(methods.QUALITY_TABLE)

# %%
ch.show(methods.RULES)

# %%
ch.show(methods.CURRENCY)

# %%
ch.show(methods.RATES)

# %%
ch.show(methods.GLOSSARY)

# %%
ch.show(methods.REGISTRY)
