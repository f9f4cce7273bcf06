"""Country profiles: ``data/profiles/<ISO3>.yaml``, what the chapters need to know about a country.

A profile is part of the data contract. It is validated on every render (types, unknown keys, dates)
and against the tables: every scope, recorder, framework, claim set, comparator and source it names
must exist there. Problems are reported like any other data problem (file, field, value, expected).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from demining_sdg.inputs.problems import Problem

PROFILES_DIR = "profiles"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Authority(_Strict):
    short: str = Field(description="Short name or abbreviation, as the sources write it")
    name: str = Field(description="Full name, spelled out at first use")


class Scope(_Strict):
    code: str = Field(description="The tables' programme_scope value")
    label: str = Field(description="Words for the scope in sentences and subtitles")
    short: str = Field(description="Short words for chart labels and table cells")
    starts: dt.date | None = Field(None, description="First day the scope covers, if it has one")
    ends: dt.date | None = Field(None, description="Last day the scope covers, if it has one")


class Treaty(_Strict):
    mine_ban_treaty: str | None = Field(None, description="Status under the Mine Ban Treaty, as sourced")
    source_ids: tuple[str, ...] = ()


class M49(_Strict):
    """The country's UN M49 numeric code: the SDG Global Database's GeoAreaCode (not the ISO 3166 code)."""

    code: int = Field(
        ge=1, le=999, description="M49 numeric code, without leading zeros (as the SDG database writes it)"
    )
    source_ids: tuple[str, ...] = Field(min_length=1, description="Sources whose excerpt states the code")


class Terminology(_Strict):
    source_terms: tuple[str, ...] = Field((), description="Loaded words the sources use")
    note: str | None = Field(None, description="How the report words things instead")


class NationalTargets(_Strict):
    """Indicators of contamination_targets.csv that hold the country's own targets."""

    casualties_per_year: str | None = Field(None, description="Indicator holding a ceiling of casualties a year")
    deadline: str | None = Field(None, description="Indicator holding the clearance deadline")


class CountryProfile(_Strict):
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    authority: Authority | None = None
    scopes: tuple[Scope, ...] = Field(min_length=1)
    focus_scope: str
    recorders: tuple[str, ...] = ()
    comparators: tuple[str, ...] = ()
    sdg_framework: str | None = None
    claim_set: str | None = None
    announcements_from: dt.date | None = None
    treaty: Treaty = Field(default_factory=Treaty)
    m49: M49 | None = None
    national_targets: NationalTargets = Field(default_factory=NationalTargets)
    terminology: Terminology = Field(default_factory=Terminology)

    @field_validator("focus_scope")
    @classmethod
    def _focus_is_a_scope(cls, value: str, info: ValidationInfo) -> str:
        scopes = info.data.get("scopes")
        codes = [s.code for s in scopes] if scopes else []
        if codes and value not in codes:
            raise ValueError(f"one of the scopes' codes ({', '.join(codes)})")
        return value

    @property
    def scope_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.scopes)

    def scope(self, code: str) -> Scope | None:
        return next((s for s in self.scopes if s.code == code), None)

    @property
    def focus(self) -> Scope:
        scope = self.scope(self.focus_scope)
        assert scope is not None  # checked on load
        return scope

    @property
    def has_several_scopes(self) -> bool:
        return len(self.scopes) > 1

    @property
    def focus_said(self) -> str | None:
        """The focus scope's words where there are several scopes to tell apart; None for a single one."""
        return self.focus.label if self.has_several_scopes else None

    def short_words(self, codes: pd.Series) -> pd.Series:
        """The short words of the scopes in a column of scope codes (a code of no scope stays as it is)."""
        return codes.map({s.code: s.short for s in self.scopes}).fillna(codes)


def profile_files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / PROFILES_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _where(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "(whole file)"


def read_profile(path: Path) -> tuple[CountryProfile | None, list[Problem]]:
    """One profile file, or the problems that stop it from being one."""
    name = f"{PROFILES_DIR}/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [Problem(name, None, None, None, f"a readable YAML file ({str(exc).splitlines()[0]})")]
    if not isinstance(raw, dict):
        return None, [Problem(name, None, None, None, "a YAML mapping of profile fields (see data/README.md)")]
    try:
        profile = CountryProfile.model_validate(raw)
    except ValidationError as exc:
        return None, [
            Problem(
                name,
                None,
                _where(err["loc"]),
                None if err["type"] == "missing" else str(err.get("input"))[:80],
                err["msg"],
            )
            for err in exc.errors()
        ]
    if profile.iso3 != path.stem:
        return None, [
            Problem(name, None, "iso3", profile.iso3, f"the file's own name ({path.stem}.yaml holds {path.stem})")
        ]
    return profile, []


def _codes(tables: dict[str, pd.DataFrame | None], table: str, column: str) -> set[str] | None:
    frame = tables.get(table)
    if frame is None or column not in frame.columns or frame.empty:
        return None  # unreadable or empty: reported as such, nothing to check against
    return {str(v).strip() for v in frame[column] if str(v).strip()}


def _country_codes(tables: dict[str, pd.DataFrame | None], table: str, column: str, iso3: str) -> set[str] | None:
    frame = tables.get(table)
    if frame is None or column not in frame.columns or "iso3" not in frame.columns or frame.empty:
        return None
    mine = frame[frame["iso3"].astype(str).str.strip() == iso3]
    return {str(v).strip() for v in mine[column] if str(v).strip()}


def _reference_problems(
    profile: CountryProfile, tables: dict[str, pd.DataFrame | None], known: set[str]
) -> list[Problem]:
    name = f"{PROFILES_DIR}/{profile.iso3}.yaml"
    checks = [
        (
            "recorders",
            profile.recorders,
            _country_codes(tables, "casualties", "recorder", profile.iso3),
            f"casualties.csv, column recorder, for {profile.iso3}",
        ),
        ("comparators", profile.comparators, known, "a country with its own profile in profiles/"),
        (
            "sdg_framework",
            (profile.sdg_framework,) if profile.sdg_framework else (),
            _codes(tables, "sdg_frameworks", "framework"),
            "sdg_frameworks.csv, column framework",
        ),
        (
            "claim_set",
            (profile.claim_set,) if profile.claim_set else (),
            _codes(tables, "conference_claims", "claim_set"),
            "conference_claims.csv, column claim_set",
        ),
        ("treaty.source_ids", profile.treaty.source_ids, _codes(tables, "sources", "source_id"), "sources.csv"),
        (
            "m49.source_ids",
            profile.m49.source_ids if profile.m49 else (),
            _codes(tables, "sources", "source_id"),
            "sources.csv",
        ),
        (
            "national_targets",
            tuple(v for v in (profile.national_targets.casualties_per_year, profile.national_targets.deadline) if v),
            _codes(tables, "contamination_targets", "indicator"),
            "contamination_targets.csv, column indicator",
        ),
    ]
    problems = []
    for field, values, allowed, where in checks:
        if allowed is None:
            continue
        for value in values:
            if value not in allowed:
                problems.append(Problem(name, None, field, value, f"a code that exists in {where}"))
    problems += _m49_problems(profile, tables.get("sources"))
    used = set()
    for table in ("clearance", "casualties"):
        frame = tables.get(table)
        if frame is not None and {"iso3", "programme_scope"} <= set(frame.columns):
            mine = frame[frame["iso3"].astype(str).str.strip() == profile.iso3]
            used |= {str(v).strip() for v in mine["programme_scope"] if str(v).strip()}
    for scope in sorted(used - set(profile.scope_codes)):
        problems.append(
            Problem(
                name,
                None,
                "scopes",
                scope,
                f"every programme_scope the tables use for {profile.iso3} declared as a scope",
            )
        )
    return problems


def _m49_problems(profile: CountryProfile, sources: pd.DataFrame | None) -> list[Problem]:
    """The M49 code must be stated, as a whole number, in the excerpt of every source given for it."""
    if profile.m49 is None or sources is None or not {"source_id", "excerpt"} <= set(sources.columns):
        return []
    excerpts = dict(zip(sources["source_id"].astype(str).str.strip(), sources["excerpt"].astype(str)))
    code = re.compile(rf"(?<![0-9])0*{profile.m49.code}(?![0-9])")
    return [
        Problem(
            f"{PROFILES_DIR}/{profile.iso3}.yaml",
            None,
            "m49.code",
            str(profile.m49.code),
            f"the code as stated in the excerpt of {source_id} in sources.csv (correct the code or the source)",
        )
        for source_id in profile.m49.source_ids
        if source_id in excerpts and not code.search(excerpts[source_id])
    ]


def validate_profiles(
    data_dir: Path, tables: dict[str, pd.DataFrame | None]
) -> tuple[dict[str, CountryProfile], list[Problem]]:
    """Every profile of a data folder, checked on its own and against the (text) tables."""
    profiles: dict[str, CountryProfile] = {}
    problems: list[Problem] = []
    files = profile_files(data_dir)
    for path in files:
        profile, found = read_profile(path)
        problems += found
        if profile is not None:
            profiles[profile.iso3] = profile
    known = {path.stem for path in files}  # an invalid profile is reported as such, not as missing
    for profile in profiles.values():
        problems += _reference_problems(profile, tables, known)
    return profiles, problems
