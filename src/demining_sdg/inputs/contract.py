"""The written contract of the input tables: ``data/datapackage.json`` (Frictionless Table Schema)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from demining_sdg import paths

FIELD_TYPES = {"string", "number", "integer", "date", "boolean"}


class ContractError(Exception):
    """The datapackage.json itself is missing or malformed."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    title: str = ""
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False

    def expectation(self) -> str:
        """Plain-language description of what a cell of this field must hold."""
        parts = [TYPE_WORDS[self.type]]
        if self.enum:
            parts.append("one of: " + ", ".join(self.enum))
        if self.minimum is not None:
            parts.append(f">= {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        if self.pattern:
            parts.append(f"matching {self.pattern}")
        return "; ".join(parts)


TYPE_WORDS = {
    "string": "text",
    "number": "a plain number such as 1234.5 (no thousands separators, '.' as decimal mark)",
    "integer": "a whole number such as 2022",
    "date": "a date written YYYY-MM-DD",
    "boolean": "true or false",
}


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableContract:
    name: str
    path: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    field_index: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.field_index.update({f.name: f for f in self.fields})

    @property
    def column_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class DataContract:
    tables: tuple[TableContract, ...]

    def table(self, name: str) -> TableContract:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table named {name!r} in the data contract")

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def input_files(self, data_dir: Path) -> list[Path]:
        """The contract file, every table file and every country profile of a data folder: what a
        render depends on."""
        folder = Path(data_dir)
        profiles = sorted((folder / "profiles").glob("*.yaml")) if (folder / "profiles").is_dir() else []
        return [folder / paths.CONTRACT_FILE_NAME] + [folder / t.path for t in self.tables] + profiles


def _field(raw: dict) -> FieldSpec:
    constraints = raw.get("constraints", {})
    ftype = raw.get("type", "string")
    if ftype not in FIELD_TYPES:
        raise ContractError(f"field {raw.get('name')!r}: unsupported type {ftype!r}")
    enum = constraints.get("enum")
    return FieldSpec(
        name=raw["name"],
        type=ftype,
        title=raw.get("title", ""),
        description=raw.get("description", ""),
        required=bool(constraints.get("required", False)),
        enum=tuple(str(v) for v in enum) if enum else None,
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        pattern=constraints.get("pattern"),
        unique=bool(constraints.get("unique", False)),
    )


def load_contract(data_dir: Path = paths.DATA_DIR) -> DataContract:
    """Read ``datapackage.json`` from ``data_dir``."""
    contract_path = Path(data_dir) / paths.CONTRACT_FILE_NAME
    try:
        package = json.loads(contract_path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ContractError(f"{contract_path}: file not found (the data folder needs its contract)") from None
    except json.JSONDecodeError as exc:
        raise ContractError(f"{contract_path}: not valid JSON ({exc})") from None
    tables = []
    for resource in package.get("resources", []):
        schema = resource.get("schema", {})
        primary_key = schema.get("primaryKey", [])
        if isinstance(primary_key, str):
            primary_key = [primary_key]
        foreign_keys = tuple(
            ForeignKey(
                fields=tuple(_as_list(fk["fields"])),
                resource=fk["reference"]["resource"],
                reference_fields=tuple(_as_list(fk["reference"]["fields"])),
            )
            for fk in schema.get("foreignKeys", [])
        )
        tables.append(
            TableContract(
                name=resource["name"],
                path=resource["path"],
                title=resource.get("title", resource["name"]),
                description=resource.get("description", ""),
                fields=tuple(_field(f) for f in schema.get("fields", [])),
                primary_key=tuple(primary_key),
                foreign_keys=foreign_keys,
            )
        )
    if not tables:
        raise ContractError(f"{contract_path}: lists no resources")
    return DataContract(tables=tuple(tables))


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
