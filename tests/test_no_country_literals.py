"""Country-specific facts live in data (profiles, tables), not in code: no ISO code, country name,
agency name or country-specific date of any country with a profile appears as a literal in src/."""

from __future__ import annotations

import re

import pytest

from demining_sdg import paths
from demining_sdg.inputs.profiles import profile_files, read_profile
from demining_sdg.present.formats import MONTHS

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip


def forbidden_words() -> set[str]:
    words: set[str] = set()
    for path in profile_files(paths.DATA_DIR):
        profile, _ = read_profile(path)
        assert profile is not None, path
        words |= {profile.iso3, profile.name}
        if profile.authority:
            words.add(profile.authority.short)
        for scope in profile.scopes:
            for day in (scope.starts, scope.ends):
                if day is not None:
                    words |= {
                        day.isoformat(),
                        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                        f"{MONTHS[day.month - 1]} {day.year}",
                        f"{MONTH_NAMES[day.month - 1]} {day.year}",
                    }
    return words


def source_files() -> list:
    package = paths.PACKAGE_DIR
    return sorted(p for p in package.rglob("*") if p.suffix in {".py", ".yaml", ".j2"} and "__pycache__" not in p.parts)


def test_the_check_knows_what_to_look_for():
    words = forbidden_words()
    assert len(words) >= 6 and all(words)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(paths.PACKAGE_DIR)))
def test_no_country_literal_in_the_package(path):
    text = path.read_text(encoding="utf-8")
    found = sorted(w for w in forbidden_words() if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
    where = path.relative_to(paths.PACKAGE_DIR)
    assert found == [], f"{where} names {found}: move it to data/profiles or a data table"
