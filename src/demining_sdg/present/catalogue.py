"""The text catalogue: every sentence, heading, caption, chart title and alt text of the report.

One YAML file per chapter in ``present/catalogue/``; entries are Jinja templates rendered as plain
text (the HTML components escape them). A template sees ``country`` (the profile), ``params``,
``frame``, ``rows``, ``first`` and ``last`` (rows as mappings), ``n`` (rows), ``facts`` (the
frame's attrs), and for findings and cards the row itself; filters format numbers and dates in
the house style (``num``, ``about``, ``date``, ``qualified``, ``figure``, ``money``, ``pct``, ``words``,
``growth``, ``growing``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
import yaml

from demining_sdg import paths
from demining_sdg.present import formats


class CatalogueError(KeyError):
    """A text the code asks for is not in the catalogue."""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _years(first: object, last: object) -> str:
    """'2019–2023', or '2023' when both are the same year."""
    a, b = int(first), int(last)
    return f"{a}–{b}" if a != b else f"{a}"


def _span(low: str, high: str) -> str:
    """A range as written: 'low–high', or once when both ends read the same."""
    return low if low == high else f"{low}–{high}"


def _join(items: list[str], last: str = "and") -> str:
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _figure(point: Any, unit: str | None = None) -> str:
    """``p | figure('ha')``: a point's (a mapping's) value as its source qualifies it (``qualified``)."""
    return formats.qualified(point["value"], point["qualifier"], unit)


def _growth(pct: float) -> str:
    """A scenario rate's growth: 'growth of 5% a year', or 'no growth'."""
    return f"growth of {formats.number(pct)}% a year" if pct else "no growth"


def _growing(pct: float) -> str:
    """A changing rate: 'growing 5% a year' or 'shrinking 5% a year'."""
    return f"{'growing' if pct > 0 else 'shrinking'} {formats.number(abs(pct))}% a year"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.filters.update(
        num=formats.number,
        about=formats.rounded,
        date=formats.date,
        qualified=formats.qualified,
        figure=_figure,
        money=formats.money,
        pct=formats.percent,
        upper_first=_upper_first,
        join_words=_join,
        tenths="{:.1f}".format,
        growth=_growth,
        growing=_growing,
    )
    env.globals.update(years=_years, span=_span)
    env.tests["known"] = lambda value: not formats.is_missing(value)
    return env


@cache
def _chapter_texts(chapter: str) -> dict[str, Any]:
    path = paths.CATALOGUE_DIR / f"{chapter}.yaml"
    if not path.is_file():
        raise CatalogueError(f"no catalogue file for chapter {chapter!r} ({path.name})")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def has_text(key: str) -> bool:
    """key: '<chapter>.<path.to.entry>'."""
    try:
        raw_text(key)
    except CatalogueError:
        return False
    return True


def raw_text(key: str) -> str:
    chapter, _, path = key.partition(".")
    node: Any = _chapter_texts(chapter)
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise CatalogueError(f"no text {key!r} in the catalogue ({chapter}.yaml)")
        node = node[part]
    if not isinstance(node, str):
        raise CatalogueError(f"catalogue entry {key!r} is not a text")
    return node


def text(key: str, **variables: Any) -> str:
    """The catalogue entry ``key`` rendered with ``variables`` (plain text, whitespace folded)."""
    template = _environment().from_string(raw_text(key))
    return " ".join(template.render(**variables).split())


def render_string(template: str, **variables: Any) -> str:
    """A template that is not in the catalogue (a requirement's reason)."""
    return " ".join(_environment().from_string(template).render(**variables).split())
