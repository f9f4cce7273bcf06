"""Funding records in IATI / OECD CRS style: sector 15250, transaction types kept apart, conversion."""

from __future__ import annotations

import pandas as pd
import pytest

from demining_sdg.derive.rules import convert_amounts
from demining_sdg.inputs.imports import run_import
from demining_sdg.inputs.imports.common import ImportProblems
from demining_sdg.inputs.validation import validate_data_dir
from imports_support import EXAMPLES, SOURCE_ID, data_with_source, write

HEADER = "provider_org,recipient_country,sector_code,transaction_type,value,currency,value_date\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return data_with_source(tmp_path_factory.mktemp("funding"))


def run(file, base, out, **options):
    return run_import("funding", file, out=out, data_dir=base, source_id=SOURCE_ID, currency="USD", **options)


def test_the_example_keeps_sector_15250_and_keeps_commitments_apart(base, tmp_path):
    example = EXAMPLES / "synthetic_funding_transactions.csv"
    result = run(example, base, tmp_path / "review", country="XIM")
    assert validate_data_dir(result.target).problems == []
    rows = result.rows["funding"]
    source = pd.read_csv(example, dtype=str)
    wanted = source[
        (source["sector_code"] == "15250")
        & source["transaction_type"].isin(["2", "3"])
        & (source["recipient_country"] == "XIM")
    ]
    assert len(rows) == len(wanted)
    assert rows["measure"].tolist() == wanted["transaction_type"].map({"2": "commitment", "3": "disbursement"}).tolist()
    assert rows["value"].tolist() == wanted["value"].tolist() and rows["unit"].tolist() == wanted["currency"].tolist()
    assert any("1 of other sectors left out" in line for line in result.summary)
    assert any("1 transactions of other types" in line for line in result.summary)
    # each excerpt is the record's own line, so the value is stated there
    assert all(value in excerpt for value, excerpt in zip(rows["value"], rows["excerpt"]))
    # the converted amounts are the project's rule applied to the kept rows, labelled derived
    rates = pd.read_csv(base / "ecb_reference_rates.csv", parse_dates=["date"])
    expected = convert_amounts(
        rows.assign(value=pd.to_numeric(rows["value"]), value_date=pd.to_datetime(rows["value_date"])), rates, "USD"
    )
    assert result.derived["amount_usd"].tolist() == expected["amount_usd"].tolist()
    assert result.derived["label"].str.startswith("derived").all()
    summary = {line.split(":")[0]: line for line in result.summary if line.startswith(("commitment:", "disbursement:"))}
    assert set(summary) == {"commitment", "disbursement"}


def test_unknown_transaction_type_is_an_error_with_its_row(base, tmp_path):
    export = write(
        tmp_path / "f.csv", HEADER + "Donor A,FR,15250,3,100,EUR,2024-01-05\nDonor A,FR,15250,99,100,EUR,2024-01-05\n"
    )
    with pytest.raises(ImportProblems) as caught:
        run(export, base, tmp_path / "review")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("f.csv", 3, "transaction_type", "99")
    assert "IATI transaction type" in problem.expected
    assert not (tmp_path / "review").exists()


def test_other_sectors_are_not_checked_and_alpha2_codes_become_alpha3(base, tmp_path):
    export = write(
        tmp_path / "f.csv",
        HEADER + "Donor A,FR,15250,2,100,EUR,2024-01-05\nDonor B,FR,11220,banana,x,ZZZ,someday\n",
    )
    result = run(export, base, tmp_path / "review")
    assert result.rows["funding"]["recipient_iso3"].tolist() == ["FRA"]


def test_bad_values_currency_and_negative_amounts(base, tmp_path):
    export = write(
        tmp_path / "f.csv",
        HEADER
        + "Donor A,FR,15250,3,-100,EUR,2024-01-05\n"
        + "Donor A,FR,15250,3,100,JPY,2024-01-05\n"
        + "Donor A,FR,15250,3,1 000,EUR,05/01/2024\n",
    )
    with pytest.raises(ImportProblems) as caught:
        run(export, base, tmp_path / "review")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "value"), (3, "currency"), (4, "value"), (4, "value_date")}


def test_a_shifted_row_is_diagnosed(base, tmp_path):
    export = write(
        tmp_path / "f.csv", HEADER + "Donor A,FR,15250,3,100,EUR,2024-01-05\nDonor A,15250,3,100,EUR,2024-01-05\n"
    )
    with pytest.raises(ImportProblems) as caught:
        run(export, base, tmp_path / "review")
    assert {p.row for p in caught.value.problems} == {3}
    assert any("shifted" in p.expected for p in caught.value.problems)
