"""Helpers for tests that render the report (kept out of conftest so only those tests pay)."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.I)


def external_references(html: str) -> list[str]:
    """Every reference that would make the browser fetch something outside the file."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio", "embed", "object"]):
        for attribute in ("src", "href", "data", "srcset"):
            value = tag.get(attribute)
            if value and not str(value).startswith(("data:", "#")):
                found.append(f"<{tag.name} {attribute}={value}>")
    for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)", html):
        if not match.group(1).startswith(("data:", "#")):
            found.append(f"url({match.group(1)})")
    found += ["@import"] * len(re.findall(r"@import", html))
    return found


def figure_captions(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    result = []
    for figure in soup.select("figure.report-figure"):
        result.append(
            {
                "name": figure.get("data-figure"),
                "number": figure.select_one(".figure-number").get_text(strip=True),
                "title": figure.select_one(".figure-title").get_text(strip=True),
                "source": figure.select_one(".source-line").get_text(strip=True),
                "alt": figure.svg.get("aria-label", "") if figure.svg else "",
                "tooltips": [t.get_text() for t in figure.svg.find_all("title")] if figure.svg else [],
            }
        )
    return result


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
