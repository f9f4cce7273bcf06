"""Typed run parameters: one frozen, validated set per render.

Parameters come from a YAML file (``params/report.yaml`` by default) and optional
``key=value`` overrides. Unknown keys and wrong types are rejected with a message that
names the key and says what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from demining_sdg import paths
from demining_sdg.provenance import record as provenance


class ParamsError(Exception):
    """Raised when run parameters are invalid; ``problems`` holds one readable line each."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class OutlookParams(BaseModel):
    """Scenario knobs for the outlook chapter. ``None`` means: take the value from the data."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    target_year: int = Field(2030, ge=2000, le=2100, description="Year the scenarios run to")
    annual_clearance_ha: float | None = Field(
        None, gt=0, description="Hectares cleared per year; None = latest full-year total in the data"
    )
    clearance_growth_pct: float = Field(
        0.0, ge=-50, le=100, description="Yearly growth of the clearance rate, in percent"
    )
    contaminated_area_low_ha: float | None = Field(
        None, gt=0, description="Low contamination estimate in ha; None = lowest sourced estimate"
    )
    contaminated_area_high_ha: float | None = Field(
        None, gt=0, description="High contamination estimate in ha; None = highest sourced estimate"
    )

    @model_validator(mode="after")
    def _low_not_above_high(self) -> OutlookParams:
        low, high = self.contaminated_area_low_ha, self.contaminated_area_high_ha
        if low is not None and high is not None and low > high:
            raise ValueError("contaminated_area_low_ha must not exceed contaminated_area_high_ha")
        return self


class ReportParams(BaseModel):
    """Everything a render depends on besides the data and the code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str = Field(description="ISO 3166-1 alpha-3 code of the country in focus (it needs a profile in the data)")
    first_year: int = Field(1999, ge=1990, le=2100, description="First year shown in time series")
    last_year: int = Field(2025, ge=1990, le=2100, description="Last year shown in time series")
    currency: Literal["EUR", "USD"] = Field("EUR", description="Reporting currency")
    data_dir: Path = Field(paths.DATA_DIR, description="Folder holding the input tables")
    out_dir: Path = Field(paths.REPORT_DIR, description="Folder the report is published to")
    figures_dir: Path | None = Field(
        None,
        description="Folder for figure files; None = figures/ for the default out_dir, else <out_dir>/figures",
    )
    chapter_timeout_s: int = Field(600, ge=10, le=7200, description="Time limit per chapter")
    jobs: int = Field(2, ge=1, le=16, description="Chapters executed side by side")
    outlook: OutlookParams = Field(default_factory=OutlookParams)

    @field_validator("country")
    @classmethod
    def _iso3(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code (three letters, e.g. FRA)")
        return code

    @model_validator(mode="after")
    def _years_in_order(self) -> ReportParams:
        if self.first_year > self.last_year:
            raise ValueError(f"first_year ({self.first_year}) is after last_year ({self.last_year})")
        return self

    @property
    def resolved_figures_dir(self) -> Path:
        if self.figures_dir is not None:
            return self.figures_dir
        if self.out_dir.resolve() == paths.REPORT_DIR.resolve():
            return paths.FIGURES_DIR
        return self.out_dir / "figures"

    def notebook_parameters(self, figures_dir: Path) -> dict[str, Any]:
        """The values papermill injects into each chapter's ``parameters`` cell."""
        return {
            "country": self.country,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "currency": self.currency,
            "data_dir": str(self.data_dir),
            "figures_dir": str(figures_dir),
            "outlook": self.outlook.model_dump(),
        }

    def public_dict(self) -> dict[str, Any]:
        """Parameters as shown in the report's 'About' section (paths relative to the project)."""
        shown = self.model_dump(mode="json")
        for key in ("data_dir", "out_dir", "figures_dir"):
            shown[key] = provenance.display_path(
                getattr(self, key) if key != "figures_dir" else self.resolved_figures_dir
            )
        return shown


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """Turn ``["country=FRA", "outlook.target_year=2035"]`` into a nested dict (YAML-typed values)."""
    result: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParamsError("--set", [f"{pair!r} is not of the form key=value"])
        key, raw = pair.split("=", 1)
        parts = key.strip().split(".")
        if not all(part.strip() for part in parts):
            raise ParamsError("--set", [f"{pair!r}: the key before '=' is empty or malformed"])
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw
        node = result
        *parents, leaf = parts
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ParamsError("--set", [f"{pair!r}: '{part}' was already set to a single value"])
            node = child
        if isinstance(node.get(leaf), dict):
            raise ParamsError("--set", [f"{pair!r}: '{key.strip()}' is a group of keys; set its keys one by one"])
        node[leaf] = value
    return result


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_paths(raw: dict[str, Any], relative_to: Path) -> dict[str, Any]:
    resolved = dict(raw)
    for key in ("data_dir", "out_dir", "figures_dir"):
        value = resolved.get(key)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            resolved[key] = relative_to / value
    return resolved


def read_params_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParamsError(str(path), ["file not found"]) from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(str(path), [f"not valid YAML: {exc}"]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParamsError(str(path), ["expected a mapping of key: value pairs at the top level"])
    return _resolve_paths(loaded, paths.ROOT)


def load_params(
    params_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> ReportParams:
    """Read, merge and validate parameters. Without a file, the published run's parameters
    (``params/report.yaml``) are the defaults. Paths in the file are relative to the project root;
    paths in ``overrides`` are relative to the current directory."""
    params_file = params_file or (paths.DEFAULT_PARAMS_FILE if paths.DEFAULT_PARAMS_FILE.is_file() else None)
    source = str(params_file) if params_file else "defaults"
    raw = read_params_file(params_file) if params_file else {}
    if overrides:
        source += " + overrides"
        raw = _merge(raw, _resolve_paths(overrides, Path.cwd()))
    try:
        return ReportParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(source, [_describe(error) for error in exc.errors()]) from None


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(parameters)"
    if error["type"] == "extra_forbidden":
        parent = ReportParams
        if error["loc"][0] == "outlook":
            parent = OutlookParams
        allowed = ", ".join(parent.model_fields)
        return f"unknown key '{key}'; allowed keys: {allowed}"
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"] or isinstance(error.get("input"), dict):
        return f"{key}: {message}"
    return f"key '{key}': {message} (got {error.get('input')!r})"
