"""Run parameters: defaults, overrides, and clear errors for unknown keys and wrong types."""

from pathlib import Path

import pytest

from demining_sdg import paths
from demining_sdg.params import ParamsError, load_params, parse_overrides


def test_the_published_parameters_file_is_valid():
    params = load_params(paths.DEFAULT_PARAMS_FILE)
    assert params.country == "AZE"
    assert params.currency in {"EUR", "USD"}
    assert params.data_dir == paths.DATA_DIR
    assert params.resolved_figures_dir == paths.FIGURES_DIR


def test_overrides_are_typed_and_nested():
    overrides = parse_overrides(["country=khm", "first_year=2005", "outlook.clearance_growth_pct=12.5"])
    params = load_params(paths.DEFAULT_PARAMS_FILE, overrides)
    assert params.country == "KHM"
    assert params.first_year == 2005
    assert params.outlook.clearance_growth_pct == 12.5


def test_unknown_key_names_the_key_and_the_allowed_keys():
    with pytest.raises(ParamsError) as error:
        load_params(None, {"contry": "AZE"})
    message = " ".join(error.value.problems)
    assert "unknown key 'contry'" in message
    assert "country" in message and "currency" in message


def test_wrong_type_names_the_key():
    with pytest.raises(ParamsError) as error:
        load_params(None, parse_overrides(["first_year=nineteen"]))
    assert "key 'first_year'" in error.value.problems[0]
    assert "integer" in error.value.problems[0]


def test_currency_lists_the_allowed_values():
    with pytest.raises(ParamsError) as error:
        load_params(None, {"currency": "GBP"})
    assert "'EUR' or 'USD'" in error.value.problems[0]


def test_a_code_that_is_not_three_letters_is_rejected():
    with pytest.raises(ParamsError) as error:
        load_params(None, {"country": "X1Z"})
    assert "not an ISO 3166-1 alpha-3" in error.value.problems[0]


def test_a_country_without_a_profile_is_refused_with_a_suggestion(project_datasets):
    from demining_sdg.build.render import check_minimum

    data = project_datasets
    with pytest.raises(ParamsError) as error:
        check_minimum(data, load_params(None, {"country": "AZR"}))
    message = error.value.problems[0]
    assert "no country profile for AZR" in message and "Did you mean AZE?" in message
    assert "Adding a country" in message


def test_a_profile_without_rows_is_below_the_minimum(data_copy: Path):
    from demining_sdg.build.render import check_minimum
    from demining_sdg.inputs.datasets import Datasets

    text = (data_copy / "profiles" / "KHM.yaml").read_text(encoding="utf-8")
    (data_copy / "profiles" / "FRA.yaml").write_text(
        text.replace("iso3: KHM", "iso3: FRA")
        .replace("name: Cambodia", "name: France")
        .replace("recorders: [CMAA, Landmine_Monitor]", "recorders: []")
        .replace("sdg_framework: national_cambodia", "sdg_framework: null")
        .replace("source_ids: [S199, S200]", "source_ids: []"),
        encoding="utf-8",
    )
    data = Datasets(data_copy)
    with pytest.raises(ParamsError) as error:
        check_minimum(data, load_params(None, {"country": "FRA", "data_dir": str(data_copy)}))
    assert "France has a profile but no clearance, casualty or funding rows" in error.value.problems[0]


def test_years_out_of_order_are_rejected():
    with pytest.raises(ParamsError, match="after last_year"):
        load_params(None, {"first_year": 2020, "last_year": 2010})


def test_out_dir_elsewhere_keeps_figures_beside_it(tmp_path: Path):
    params = load_params(None, {"out_dir": str(tmp_path)})
    assert params.resolved_figures_dir == tmp_path / "figures"


def test_bad_yaml_file_is_reported(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("country: [unclosed\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(bad)


def test_set_without_equals_is_rejected():
    with pytest.raises(ParamsError, match="key=value"):
        parse_overrides(["country"])


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["=3"], "empty or malformed"),
        (["outlook..target_year=1"], "empty or malformed"),
        (["outlook=5", "outlook.target_year=2035"], "already set to a single value"),
        (["outlook.target_year=2035", "outlook=5"], "group of keys"),
    ],
)
def test_malformed_overrides_are_explained(pairs, expected):
    with pytest.raises(ParamsError, match=expected):
        parse_overrides(pairs)


def test_a_whole_model_error_does_not_print_every_parameter():
    with pytest.raises(ParamsError) as error:
        load_params(None, {"first_year": 2020, "last_year": 2010})
    assert "got {" not in error.value.problems[0]


def test_a_scalar_where_a_group_is_expected_is_a_clear_error():
    with pytest.raises(ParamsError) as error:
        load_params(None, parse_overrides(["outlook=5"]))
    assert "outlook" in error.value.problems[0]
