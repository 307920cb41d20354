"""Home countries: ISO 3166-1 alpha-2 codes, validated with a message naming the bad ones, stored per workspace."""

import pytest

from lib.countries import ISO_CODES, CountryError, clean_country_codes, home_countries, save_home_countries
from lib.workspaces import create_workspace, get_setting, set_setting


def test_codes_are_upper_cased_and_de_duplicated_in_order():
    assert clean_country_codes(["us", " GB", "US", ""]) == ("US", "GB")
    assert clean_country_codes("de, at;ch  fr") == ("DE", "AT", "CH", "FR")
    assert clean_country_codes([]) == ()
    assert len(ISO_CODES) == 249 and {"US", "GB", "DE", "PA", "SC"} <= ISO_CODES


@pytest.mark.parametrize("values, message", [
    (["US", "XX"], r"^'XX' is not an ISO 3166-1 two-letter country code"),
    (["uk"], r"'UK' \(did you mean GB\?\)"),
    (["USA", "germany"], r"^'USA', 'GERMANY' are not ISO 3166-1 two-letter country codes"),
])
def test_bad_codes_are_named(values, message):
    with pytest.raises(CountryError, match=message):
        clean_country_codes(values)


def test_saved_per_workspace_and_cleared_with_an_empty_list(data_dir):
    acme = create_workspace("Acme", "acme.com")
    other = create_workspace("Other", "other.com")
    assert home_countries(acme.id) == ()
    assert save_home_countries(acme.id, ["gb", "ie"]) == ("GB", "IE")
    assert home_countries(acme.id) == ("GB", "IE")
    assert get_setting(acme.id, "home_countries") == ["GB", "IE"]
    assert home_countries(other.id) == ()
    with pytest.raises(CountryError):
        save_home_countries(acme.id, ["GB", "ZZ"])
    assert home_countries(acme.id) == ("GB", "IE")  # a refused save loses nothing
    assert save_home_countries(acme.id, []) == ()
    assert home_countries(acme.id) == ()


def test_an_unreadable_stored_value_reads_as_none(data_dir):
    acme = create_workspace("Acme", "acme.com")
    set_setting(acme.id, "home_countries", ["US", "not a code"])
    assert home_countries(acme.id) == ()
    set_setting(acme.id, "home_countries", "US")
    assert home_countries(acme.id) == ()
