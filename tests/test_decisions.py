"""Audit decisions: validated keys, row-level upserts with history, durable across connections and imports."""

from __future__ import annotations

import sqlite3
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import decisions
from lib.workspaces import create_workspace


@pytest.fixture
def workspace(data_dir):
    return create_workspace("Site", "site.com")


@pytest.fixture
def workspace_id(workspace):
    return workspace.id


def test_empty_frames_have_the_contract_columns(workspace_id):
    table = decisions.decisions_for(workspace_id)
    assert table.empty
    assert list(table.columns) == ["item", "scope", "decision", "note", "decided_at", "source", "note_private"]
    assert str(table["decided_at"].dtype) == "datetime64[ns]"
    history = decisions.decision_history(workspace_id)
    assert history.empty and str(history["decided_at"].dtype) == "datetime64[ns]"


def test_notes_are_private_unless_shared_and_a_decision_without_a_note_keeps_it(workspace_id):
    decisions.set_decisions(workspace_id, ["a.com", "b.com"], "remove", "asked twice")
    assert decisions.set_decisions(workspace_id, "c.com", "keep", "editorial", private=False) == 1
    table = decisions.decisions_for(workspace_id).set_index("item")
    assert table["note_private"].tolist() == [True, True, False]
    # sharing a note is a change (with a history line); the same note and privacy again is none
    assert decisions.set_decisions(workspace_id, "b.com", "remove", "asked twice", private=False) == 1
    assert decisions.set_decisions(workspace_id, "b.com", "remove", "asked twice", private=False) == 0
    # decided on a shared screen: the decision changes, the notes and their privacy stay
    assert decisions.set_decisions(workspace_id, ["a.com", "b.com", "d.com"], "disavow", None) == 3
    table = decisions.decisions_for(workspace_id).set_index("item")
    assert table["decision"].tolist() == ["disavow", "disavow", "keep", "disavow"]
    assert table["note"].tolist() == ["asked twice", "asked twice", "editorial", ""]
    assert table["note_private"].tolist() == [True, False, False, True]
    assert decisions.set_decisions(workspace_id, "a.com", "disavow", None) == 0
    history = decisions.decision_history(workspace_id, "a.com")
    assert history[["previous", "decision", "note"]].values.tolist() == [
        ["undecided", "remove", "asked twice"], ["remove", "disavow", "asked twice"]]


def test_decisions_of_an_older_data_directory_get_the_privacy_column(older_data_dir):
    """Notes written before notes could be shared stay private."""
    data_dir = older_data_dir("""
        CREATE TABLE audit_decisions (workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            scope TEXT NOT NULL, item TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'manual',
            PRIMARY KEY (workspace_id, scope, item));
        INSERT INTO audit_decisions VALUES ('old', 'domain', 'spam.xyz', 'disavow', 'a network',
                                            '2026-10-01T10:00:00+00:00', 'manual');
    """)
    table = decisions.decisions_for("old", data_dir)
    assert table[["item", "note", "note_private"]].values.tolist() == [["spam.xyz", "a network", True]]


def test_upsert_cleans_keys_and_counts_changes(workspace_id):
    assert decisions.set_decisions(workspace_id, ["Spam.XYZ", "www.spam.xyz", "https://b.top/x"], "disavow",
                                   "  link\nfarm ") == 2
    assert decisions.set_decisions(workspace_id, "https://Spam.test/Page?q=1", "remove", scope="url") == 1
    table = decisions.decisions_for(workspace_id)
    assert table[["item", "scope", "decision", "note", "source"]].values.tolist() == [
        ["b.top", "domain", "disavow", "link farm", "manual"],
        ["spam.xyz", "domain", "disavow", "link farm", "manual"],
        ["https://spam.test/Page?q=1", "url", "remove", "", "manual"],
    ]
    assert (table["decided_at"] > pd.Timestamp("2020-01-01")).all()
    # The same decision and note again is no change; a new note is.
    assert decisions.set_decisions(workspace_id, "spam.xyz", "disavow", "link farm") == 0
    assert decisions.set_decisions(workspace_id, "spam.xyz", "disavow", "paid links") == 1
    assert decisions.set_decisions(workspace_id, "spam.xyz", "keep") == 1
    assert decisions.decisions_for(workspace_id).set_index("item").loc["spam.xyz", "decision"] == "keep"


def test_history_records_every_change_in_order(workspace_id):
    decisions.set_decisions(workspace_id, "a.com", "disavow", "spam")
    decisions.set_decisions(workspace_id, "a.com", "disavow", "spam")  # no change, no line
    decisions.set_decisions(workspace_id, "a.com", "keep", "real blog after all")
    decisions.set_decisions(workspace_id, "b.com", "remove")
    history = decisions.decision_history(workspace_id, "a.com")
    assert history[["item", "previous", "decision", "note"]].values.tolist() == [
        ["a.com", "undecided", "disavow", "spam"], ["a.com", "disavow", "keep", "real blog after all"]]
    assert len(decisions.decision_history(workspace_id)) == 3


def test_overwrite_false_keeps_manual_decisions(workspace_id):
    decisions.set_decisions(workspace_id, "a.com", "keep", "my friend")
    decisions.set_decisions(workspace_id, "u.com", "undecided")
    written = decisions.set_decisions(workspace_id, ["a.com", "b.com", "u.com"], "disavow", "from old file",
                                      source="import", overwrite=False)
    assert written == 2
    table = decisions.decisions_for(workspace_id).set_index("item")
    assert table.loc["a.com", "decision"] == "keep"
    assert table.loc[["b.com", "u.com"], "decision"].tolist() == ["disavow", "disavow"]
    assert table.loc["b.com", "source"] == "import"


@pytest.mark.parametrize("item, scope", [("not a domain", "domain"), ("localhost", "domain"),
                                         ("a.com/<x>", "url"), ("ftp://a.com/x", "url"),
                                         ("https://a.com/x\ndomain:b.com", "url"), ("a.com", "page")])
def test_bad_items_are_refused_by_name_and_nothing_is_written(workspace_id, item, scope):
    with pytest.raises(ValueError, match="not a|scope"):
        decisions.set_decisions(workspace_id, ["fine.com", item], "disavow", scope=scope)
    assert decisions.decisions_for(workspace_id).empty


def test_bad_decision_is_refused(workspace_id):
    with pytest.raises(ValueError, match="decision must be one of"):
        decisions.set_decisions(workspace_id, "a.com", "toxic")


def test_two_tabs_writing_different_items_keep_both(workspace_id, data_dir):
    decisions.set_decisions(workspace_id, "a.com", "disavow", "tab one")
    decisions.set_decisions(workspace_id, "b.com", "keep", "tab two")
    decisions.set_decisions(workspace_id, "a.com", "disavow", "tab one again")
    with sqlite3.connect(data_dir / "linkscope.db") as conn:
        stored = conn.execute("SELECT item, note FROM audit_decisions ORDER BY item").fetchall()
    assert stored == [("a.com", "tab one again"), ("b.com", "tab two")]


def test_decisions_survive_a_new_import_and_are_per_workspace(workspace, workspace_id):
    from lib.importer import import_bytes

    other = create_workspace("Other", "other.com").id
    decisions.set_decisions(workspace_id, "spam.xyz", "disavow")
    csv = ("Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,"
           "Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link\n"
           "3,,https://spam.xyz/a,https://site.com/,buy,400,1,false,false,false,true,false,false,false,false,"
           "2024-01-01,2024-02-01,false,false\n")
    outcomes = import_bytes(workspace, csv.encode(), "site.com-backlinks.csv")
    assert [o.error for o in outcomes] == [""] and outcomes[0].snapshot is not None
    assert decisions.decisions_for(workspace_id)["item"].tolist() == ["spam.xyz"]
    assert decisions.decisions_for(other).empty


def risk_table(*rows: tuple) -> pd.DataFrame:
    """Rows of (domain, risk_score, backlinks)."""
    return pd.DataFrame({"domain": pd.array([r[0] for r in rows], dtype="str"),
                         "risk_score": pd.array([r[1] for r in rows], dtype="Int64"),
                         "markers": "", "reasons": "",
                         "backlinks": pd.array([r[2] for r in rows], dtype="Int64")})


def test_review_queue_and_progress(workspace_id):
    risk = risk_table(("net.xyz", 80, 10), ("farm.top", 60, 5), ("scraper.site", 55, 4), ("blog.com", 10, 3))
    links = pd.DataFrame({
        "source_domain": ["net.xyz"] * 2 + ["scraper.site"] * 4 + ["blog.com"],
        "source_url": ["https://net.xyz/1", "https://net.xyz/2", "https://scraper.site/a", "https://scraper.site/b",
                       "https://scraper.site/c", "https://scraper.site/d", "https://blog.com/p"],
        "anchor": ["buy grinders", "buy grinders", "", "acme", "acme", "grinder", "Acme"]})
    decisions.set_decisions(workspace_id, "net.xyz", "disavow", "network")
    decisions.set_decisions(workspace_id, "blog.com", "keep")
    decisions.set_decisions(workspace_id, "farm.top", "undecided", "look later")
    decisions.set_decisions(workspace_id, "https://scraper.site/a", "disavow", scope="url")
    decided = decisions.decisions_for(workspace_id)
    queue = decisions.review_queue(risk, decided, links, anchors_per_domain=2)
    assert queue[["domain", "decision", "note"]].values.tolist() == [
        ["net.xyz", "disavow", "network"], ["farm.top", "undecided", "look later"],
        ["scraper.site", "undecided", ""], ["blog.com", "keep", ""]]
    assert queue.set_index("domain")["anchors"].to_dict() == {
        "net.xyz": "buy grinders", "farm.top": "", "scraper.site": "acme | (no anchor text)", "blog.com": "Acme"}
    assert queue["decided_at"].notna().tolist() == [True, True, False, True]
    progress = decisions.review_progress(queue, decided, links)
    assert (progress.domains, progress.decided, progress.undecided) == (4, 2, 2)
    assert progress.by_decision == {"undecided": 2, "keep": 1, "remove": 0, "disavow": 1}
    assert (progress.risky_domains, progress.risky_decided) == (3, 1)
    # Risky links: 10 + 5 + 4 = 19; reviewed: net.xyz's 10 by its domain, one scraper URL by itself.
    assert (progress.risky_links, progress.risky_links_reviewed, progress.url_decisions) == (19, 11, 1)
    assert progress.risky_links_share == pytest.approx(11 / 19)


def test_review_queue_without_decisions_or_links():
    queue = decisions.review_queue(risk_table(("a.com", 5, 1)), _empty_decisions())
    assert queue[["decision", "note", "anchors"]].values.tolist() == [["undecided", "", ""]]
    progress = decisions.review_progress(queue, _empty_decisions())
    assert (progress.decided, progress.risky_links, progress.risky_links_share) == (0, 0, 0.0)


def _empty_decisions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in decisions.COLUMNS}).astype(
        {"decided_at": "datetime64[ns]"})


def test_broken_pages_row_level(workspace_id):
    assert decisions.broken_pages(workspace_id) == []
    decisions.set_broken(workspace_id, [" https://site.com/old/ ", "https://site.com/gone"])
    decisions.set_broken(workspace_id, ["https://site.com/gone"])  # twice is once
    decisions.set_broken(workspace_id, ["https://site.com/x"])
    decisions.set_broken(workspace_id, ["https://site.com/gone"], broken=False)
    assert decisions.broken_pages(workspace_id) == ["https://site.com/old/", "https://site.com/x"]


def test_broken_pages_two_tabs_and_apart_from_important_pages(workspace_id):
    from lib import important_pages

    decisions.set_broken(workspace_id, ["https://site.com/a"])
    # Both tabs saw ["a"]: one adds b, the other unmarks a.
    decisions.BROKEN.apply_change(workspace_id, ["https://site.com/a"], ["https://site.com/a", "https://site.com/b"])
    decisions.BROKEN.apply_change(workspace_id, ["https://site.com/a"], [])
    assert decisions.broken_pages(workspace_id) == ["https://site.com/b"]
    assert important_pages.list_pages(workspace_id) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.com", "b.org", "c.net"]),
                          st.sampled_from(["acme", "Acme", " acme ", "", None, "buy now", "x | y", "grinder",
                                           "(no anchor text)"])),
                min_size=1, max_size=30),
       st.integers(1, 4))
def test_top_anchors_are_each_domains_most_used_in_order(rows, per_domain):
    links = pd.DataFrame({"source_domain": [d for d, _ in rows], "anchor": [a for _, a in rows]})
    top = decisions.top_anchors(links, per_domain)
    for domain in {d for d, _ in rows}:
        counts = Counter((a or "").strip() or "(no anchor text)" for d, a in rows if d == domain)
        listed = top[domain].split(" | ") if "x | y" not in counts else None
        if listed is None:  # an anchor holding the separator cannot be split back; check the count only
            assert top[domain].count(" | ") >= min(per_domain, len(counts)) - 1
            continue
        # most used first, ties A-Z
        assert listed == [a for a, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:per_domain]]
    assert list(top.index) == list(dict.fromkeys(d for d, _ in rows))  # in order of first appearance


def test_undecided_queue_counts_anchors_beside_the_scoring_and_equals_the_plain_queue():
    import threading

    risk = risk_table(("net.xyz", 80, 10), ("blog.com", 10, 3))
    links = pd.DataFrame({"source_domain": ["net.xyz", "net.xyz", "net.xyz", "blog.com"],
                          "anchor": ["cheap", "buy grinders", "buy grinders", "Acme"]})
    scored_on: list[int] = []

    def score() -> pd.DataFrame:
        scored_on.append(threading.get_ident())  # on the caller's thread: a page's cached function may run here
        return risk

    queue = decisions.undecided_queue(score, links)
    pd.testing.assert_frame_equal(queue, decisions.review_queue(risk, _empty_decisions(), links))
    assert scored_on == [threading.get_ident()]
    assert queue.set_index("domain")["anchors"].to_dict() == {"net.xyz": "buy grinders | cheap", "blog.com": "Acme"}
    pd.testing.assert_frame_equal(decisions.undecided_queue(lambda: risk, None),
                                  decisions.review_queue(risk, _empty_decisions()))


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9), st.integers(1, 6)), max_size=40,
                unique_by=lambda row: row[:2]))
def test_pairs_ordered_by_domain_then_count_then_text_as_a_lexsort_would(rows):
    rows = sorted(rows)  # np.unique hands the pairs over in domain order
    domain_of = np.array([r[0] for r in rows], dtype=np.int64)
    text_rank = np.array([r[1] for r in rows], dtype=np.int64)
    counts = np.array([r[2] for r in rows], dtype=np.int64)
    expected = np.lexsort((text_rank, -counts, domain_of))
    np.testing.assert_array_equal(decisions._by_domain_count_text(domain_of, counts, text_rank, 10), expected)
    # Too wide for one 64-bit key: the lexsort itself.
    np.testing.assert_array_equal(decisions._by_domain_count_text(domain_of, counts, text_rank, 2**62), expected)
