"""Disavow files built from hostile decisions: items and notes carrying markup, quotes, `=`, spaces and line
breaks never add an entry Google would read.

Every item either is refused when the decision is made (lib.decisions.clean_item, with a message naming it)
or ends up as exactly one entry of the file; notes and reasons stay inside one comment line.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from lib import decisions
from lib.decisions import clean_item, decisions_for, set_decisions
from lib.disavow import DisavowError, disavow_bytes, parse_disavow
from lib.workspaces import create_workspace

TODAY = date(2024, 5, 20)

# URLs that are odd but single-line http(s) URLs: accepted, each written as exactly one entry.
ACCEPTED_URLS = {
    "https://evil.example/<script>alert(1)</script>": "https://evil.example/<script>alert(1)</script>",
    'HTTPS://Evil.Example/a"b\'c?q=1&x==2': 'https://evil.example/a"b\'c?q=1&x==2',
    "https://evil.example/page?next=domain:google.com": "https://evil.example/page?next=domain:google.com",
    "http://evil.example/#\\u000adomain:victim.com": "http://evil.example/#\\u000adomain:victim.com",
    "https://evil.example/=HYPERLINK(\"x\")": "https://evil.example/=HYPERLINK(\"x\")",
}
# Items that would split into two lines, or are not URLs / domains at all: refused by name.
REFUSED_URLS = [
    "https://evil.example/a\nhttps://victim.com/",
    "https://evil.example/a\rdomain:victim.com",
    "https://evil.example/a b",
    "https://evil.example/a\u2028domain:victim.com",  # a Unicode line separator
    "https://evil.example/a\x85domain:victim.com",  # NEL
    "https://evil.example/a\x0bdomain:victim.com",  # vertical tab
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "# https://evil.example/",
    "domain:victim.com",
]
REFUSED_DOMAINS = [
    "evil.example\ndomain:victim.com",
    "evil.example victim.com",
    "<script>.example",
    'evil".example',
    "evil'.example",
    "evil.example\u2028victim.com",
    "javascript:alert(1)",
    "",
]
ACCEPTED_DOMAINS = {"Evil-One.Example": "evil-one.example", "https://www.evil-two.example/path?x=<b>": "evil-two.example",
                    # not a host name, but one token: written as one entry, harmless
                    "evil-three.example=1": "evil-three.example=1"}
HOSTILE_NOTE = "line one\ndomain:victim.com\r\nhttps://victim.com/\u2028domain:other.com <script>alert(1)</script> =1+1"


@pytest.fixture
def workspace(data_dir):
    return create_workspace("Hostile", "hostile-target.com", [], root=data_dir)


def entry_lines(data: bytes) -> list[str]:
    """Lines Google reads as entries: every non-blank line that is not a comment."""
    return [line for line in data.decode("utf-8").split("\n") if line.strip() and not line.startswith("#")]


def assert_well_formed(data: bytes) -> None:
    text = data.decode("utf-8")
    assert "\r" not in text and not re.search(r"[\u2028\u2029\x85\x0b\x0c]", text)
    for line in text.rstrip("\n").split("\n"):
        assert line.startswith("#") or line.startswith("domain:") or re.match(r"^https?://\S+$", line), line


@pytest.mark.parametrize("value", REFUSED_URLS)
def test_hostile_urls_are_refused_at_decision_time_by_name(value):
    with pytest.raises(ValueError, match="is not a full http\\(s\\) URL") as caught:
        clean_item(value, "url")
    assert repr(value.strip()) in str(caught.value)


@pytest.mark.parametrize("value", REFUSED_DOMAINS)
def test_hostile_domains_are_refused_at_decision_time_by_name(value):
    with pytest.raises(ValueError, match="is not a domain name") as caught:
        clean_item(value, "domain")
    assert repr(value.strip()) in str(caught.value)


def test_one_refused_item_writes_nothing_of_the_batch(workspace, data_dir):
    with pytest.raises(ValueError, match="not a full http"):
        set_decisions(workspace.id, ["https://fine.example/", REFUSED_URLS[0]], "disavow", scope="url",
                      root=data_dir)
    assert decisions_for(workspace.id, data_dir).empty


def test_hostile_decisions_give_exactly_one_entry_each(workspace, data_dir):
    for value in ACCEPTED_URLS:
        assert set_decisions(workspace.id, value, "disavow", HOSTILE_NOTE, scope="url", root=data_dir) == 1
    for value in ACCEPTED_DOMAINS:
        assert set_decisions(workspace.id, value, "disavow", HOSTILE_NOTE, root=data_dir) == 1
    for value in REFUSED_URLS:
        with pytest.raises(ValueError):
            set_decisions(workspace.id, value, "disavow", scope="url", root=data_dir)
    for value in [v for v in REFUSED_DOMAINS if v]:  # an empty item is skipped, not an error
        with pytest.raises(ValueError):
            set_decisions(workspace.id, value, "disavow", root=data_dir)
    decided = decisions_for(workspace.id, data_dir)
    assert len(decided) == len(ACCEPTED_URLS) + len(ACCEPTED_DOMAINS)
    # A hostile reason (e.g. risk markers of a hostile name) goes into a comment too.
    reasons = {"evil-one.example": "risk 90\ndomain:victim.com", ACCEPTED_URLS[next(iter(ACCEPTED_URLS))]:
               "x\rhttps://victim.com/"}
    data = disavow_bytes(decided, TODAY, reasons=reasons)
    assert_well_formed(data)
    expected = {*ACCEPTED_URLS.values(), *(f"domain:{d}" for d in ACCEPTED_DOMAINS.values())}
    lines = entry_lines(data)
    assert sorted(lines) == sorted(expected)  # exactly one line per decision, nothing injected
    parsed = parse_disavow(data)
    assert parsed.problems == [] and parsed.duplicates == 0
    assert parsed.texts == expected
    assert "victim.com" not in parsed.domains and "other.com" not in parsed.domains
    # The note reached the file, on one comment line, its breaks turned into spaces.
    comments = [line for line in data.decode().split("\n") if line.startswith("# 20")]
    assert comments and all("line one domain:victim.com https://victim.com/ domain:other.com" in c
                            for c in comments)


def test_a_hostile_item_that_skipped_clean_item_stops_the_file(workspace, data_dir):
    """A decision row written around lib.decisions (an old database, a hand edit) cannot reach the file."""
    for item, scope in (("https://evil.example/a\ndomain:victim.com", "url"), ("evil.example\nvictim.com", "domain"),
                        ("javascript:alert(1)", "url")):
        rows = pd.DataFrame({"item": [item], "scope": [scope], "decision": ["disavow"], "note": [""],
                             "decided_at": pd.to_datetime(["2024-05-01"]), "source": ["manual"]})
        with pytest.raises(DisavowError, match="Cannot write a disavow entry") as caught:
            disavow_bytes(rows, TODAY)
        assert repr(item) in str(caught.value)


def test_the_decision_module_keys_match_the_file(workspace, data_dir):
    # The stored key is what the file writes, so a parsed file maps back onto the same decisions.
    set_decisions(workspace.id, list(ACCEPTED_URLS), "disavow", scope="url", root=data_dir)
    stored = set(decisions.decisions_for(workspace.id, data_dir)["item"])
    assert stored == set(ACCEPTED_URLS.values())
    assert set(parse_disavow(disavow_bytes(decisions_for(workspace.id, data_dir), TODAY)).urls) == stored
