"""The countries a site works in ("home countries"): ISO 3166-1 alpha-2 codes, validated, per workspace.

They feed the risk score's country_mismatch marker (lib.analysis.risk.RiskContext.home_countries): a linking
site from outside them is a small reason to look. With none set, the marker stays quiet, because an
international site has no "foreign" links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lib.workspaces import get_setting, set_setting

HOME_COUNTRIES_SETTING = "home_countries"

# Every officially assigned ISO 3166-1 alpha-2 code (249); no dependency for one list that rarely changes.
ISO_CODES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())
# Codes people type that ISO spells differently: the message names the right one.
_MISTAKES = {"UK": "GB", "EL": "GR"}


class CountryError(ValueError):
    """A country code that is not an ISO 3166-1 alpha-2 code; the message names it."""


def clean_country_codes(values: str | Iterable[str]) -> tuple[str, ...]:
    """Upper-cased, de-duplicated codes in the order given; a string may list them with commas or spaces.

    Raises CountryError naming every code that is not an ISO 3166-1 alpha-2 code.
    """
    items = re.split(r"[\s,;]+", values) if isinstance(values, str) else [str(v) for v in values]
    codes = list(dict.fromkeys(v.strip().upper() for v in items if v.strip()))
    bad = [c for c in codes if c not in ISO_CODES]
    if bad:
        hints = [f"'{c}' (did you mean {_MISTAKES[c]}?)" if c in _MISTAKES else f"'{c}'" for c in bad]
        raise CountryError(f"{', '.join(hints)} {'is not an' if len(bad) == 1 else 'are not'} ISO 3166-1 "
                           "two-letter country code" + ("" if len(bad) == 1 else "s")
                           + " (for example US, GB, DE).")
    return tuple(codes)


def home_countries(workspace_id: str, root: Path | None = None) -> tuple[str, ...]:
    """The workspace's saved home countries; () when none are set (or the stored value is unreadable)."""
    stored = get_setting(workspace_id, HOME_COUNTRIES_SETTING, [], root)
    try:
        return clean_country_codes(stored if isinstance(stored, list) else [])
    except CountryError:
        return ()  # a hand-edited database must not break every page that scores risk


def save_home_countries(workspace_id: str, values: str | Iterable[str], root: Path | None = None) -> tuple[str, ...]:
    """Validate and store the home countries (an empty list clears them); returns what was stored."""
    codes = clean_country_codes(values)
    set_setting(workspace_id, HOME_COUNTRIES_SETTING, list(codes), root)
    return codes
