"""Diffs of two hand-made snapshots give exactly the expected sets."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import importer, snapshots
from lib.analysis.snapshot_diff import (LINK_COLUMNS, diff_anchors, diff_backlinks, diff_referring_domains,
                                       diff_snapshots, link_keys, normalize_anchor)
from lib.workspaces import create_workspace
from tests.test_importer import backlinks_csv


def links(*rows: tuple) -> pd.DataFrame:
    """(source_url, target_url, source_domain, anchor, page_ascore) rows as a canonical-typed frame."""
    frame = pd.DataFrame(rows, columns=["source_url", "target_url", "source_domain", "anchor", "page_ascore"])
    return frame.astype({"source_url": "str", "target_url": "str", "source_domain": "str", "anchor": "str",
                         "page_ascore": "Int64"})


OLD = links(
    ("https://a.com/1", "https://me.com/", "a.com", "Me", 30),
    ("https://a.com/2", "https://me.com/shop", "a.com", "best grinder", 20),
    ("https://b.org/x", "https://me.com/", "b.org", "click here", 50),
    ("https://c.net/y", "https://me.com/blog", "c.net", "Coffee  Guide", 10),
)
NEW = links(
    ("https://a.com/1", "https://me.com/", "a.com", "Me", 35),
    # Same source page, different target: a different backlink.
    ("https://b.org/x", "https://me.com/shop", "b.org", "click here", 45),
    ("https://c.net/y", "https://me.com/blog", "c.net", "coffee guide", 10),
    ("https://d.io/z", "https://me.com/", "d.io", "espresso tips", 60),
    ("https://d.io/w", "https://me.com/", "d.io", "", 5),
)


def test_backlinks_gained_and_lost_are_keyed_by_source_and_target():
    diff = diff_backlinks(OLD, NEW)
    assert diff.gained_pairs == {("https://b.org/x", "https://me.com/shop"), ("https://d.io/z", "https://me.com/"),
                                 ("https://d.io/w", "https://me.com/")}
    assert diff.lost_pairs == {("https://a.com/2", "https://me.com/shop"), ("https://b.org/x", "https://me.com/")}
    assert (diff.old_backlinks, diff.new_backlinks, diff.old_domains, diff.new_domains) == (4, 5, 3, 4)



def test_gained_and_lost_backlinks_keep_the_link_columns_history_shows():
    extra = {"source_title": "A post", "external_links": 3, "sitewide": False}
    diff = diff_backlinks(OLD.assign(**extra), NEW.assign(**extra, nofollow=True))
    assert list(diff.gained_backlinks.columns) == [c for c in LINK_COLUMNS if c in NEW.columns or c == "nofollow"]
    assert list(diff.lost_backlinks.columns) == [c for c in LINK_COLUMNS if c in OLD.columns]
    assert diff.gained_backlinks.set_index("source_url").loc["https://d.io/z", "page_ascore"] == 60

def test_referring_domains_gained_and_lost():
    diff = diff_backlinks(OLD, NEW)
    assert diff.gained_domains.to_dict("records") == [{"domain": "d.io", "backlinks": 2, "ascore": 60}]
    assert diff.lost_domains.empty


def test_authority_changes_of_linking_domains_largest_first():
    diff = diff_backlinks(OLD, NEW)
    # a.com 30 -> 35 (its strongest page), b.org 50 -> 45, c.net unchanged.
    assert diff.ascore_changes.to_dict("records") == [
        {"domain": "a.com", "old_ascore": 30, "new_ascore": 35, "change": 5},
        {"domain": "b.org", "old_ascore": 50, "new_ascore": 45, "change": -5},
    ]


def test_anchors_appeared_and_vanished_ignore_case_and_spacing():
    diff = diff_backlinks(OLD, NEW)
    assert set(diff.appeared_anchors["anchor"]) == {"espresso tips"}
    assert set(diff.vanished_anchors["anchor"]) == {"best grinder"}
    assert diff.appeared_anchors.to_dict("records") == [{"anchor": "espresso tips", "backlinks": 1, "domains": 1}]


def test_identical_snapshots_differ_in_nothing():
    diff = diff_backlinks(OLD, OLD.copy())
    assert diff.gained_backlinks.empty and diff.lost_backlinks.empty
    assert diff.gained_domains.empty and diff.lost_domains.empty and diff.ascore_changes.empty
    assert diff.appeared_anchors.empty and diff.vanished_anchors.empty


def test_empty_old_snapshot_means_everything_was_gained():
    diff = diff_backlinks(OLD.iloc[0:0], NEW)
    assert len(diff.gained_backlinks) == 5 and diff.lost_backlinks.empty
    assert set(diff.gained_domains["domain"]) == {"a.com", "b.org", "c.net", "d.io"}


def _scores_by_domain(rows: list[tuple]) -> dict[str, int]:
    best: dict[str, int] = {}
    for _, _, domain, _, ascore in rows:
        if domain and ascore is not None:
            best[domain] = max(best.get(domain, ascore), ascore)
    return best


def _anchor_counts(rows: list[tuple]) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, set]] = {}
    for _, _, domain, anchor, _ in rows:
        text = " ".join((anchor or "").split()).lower()
        if text:
            links, domains = counts.get(text, (0, set()))
            counts[text] = (links + 1, domains | ({domain} if domain else set()))
    return {text: (links, len(domains)) for text, (links, domains) in counts.items()}


_LINK_ROWS = st.lists(st.tuples(st.sampled_from(["https://a.com/1", "https://b.org/x", "https://c.net/y"]),
                                st.sampled_from(["https://me.com/", "https://me.com/shop"]),
                                st.sampled_from(["a.com", "b.org", "c.net", "d.io", None]),
                                st.sampled_from(["Me", "me ", "best  grinder", "", "Best Grinder", "ÉTÉ", None]),
                                st.integers(0, 3) | st.none()), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_LINK_ROWS, _LINK_ROWS)
def test_domain_scores_and_anchors_compared_as_plain_python_would(old_rows, new_rows):
    diff = diff_backlinks(links(*old_rows), links(*new_rows))
    old_scores, new_scores = _scores_by_domain(old_rows), _scores_by_domain(new_rows)
    expected = sorted(((d, old_scores[d], new_scores[d], new_scores[d] - old_scores[d])
                       for d in old_scores.keys() & new_scores.keys() if old_scores[d] != new_scores[d]),
                      key=lambda row: (-abs(row[3]), row[0]))
    assert list(diff.ascore_changes.itertuples(index=False, name=None)) == expected
    old_anchors, new_anchors = _anchor_counts(old_rows), _anchor_counts(new_rows)
    appeared = {(a, *new_anchors[a]) for a in new_anchors.keys() - old_anchors.keys()}
    vanished = {(a, *old_anchors[a]) for a in old_anchors.keys() - new_anchors.keys()}
    assert set(diff.appeared_anchors.itertuples(index=False, name=None)) == appeared
    assert set(diff.vanished_anchors.itertuples(index=False, name=None)) == vanished
    # Every row of a link held by one side only, duplicates included
    old_pairs, new_pairs = [row[:2] for row in old_rows], [row[:2] for row in new_rows]
    rows = lambda frame: sorted(zip(frame["source_url"], frame["target_url"]))  # noqa: E731
    assert rows(diff.gained_backlinks) == sorted(p for p in new_pairs if p not in old_pairs)
    assert rows(diff.lost_backlinks) == sorted(p for p in old_pairs if p not in new_pairs)


def refdomains(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["domain", "domain_ascore", "backlinks"])
    return frame.astype({"domain": "str", "domain_ascore": "Int64", "backlinks": "Int64"})


def test_referring_domains_snapshots():
    old = refdomains(("a.com", 40, 3), ("b.org", 22, 1), ("gone.net", 70, 9))
    new = refdomains(("a.com", 41, 4), ("b.org", 22, 2), ("fresh.io", 15, 1))
    diff = diff_referring_domains(old, new)
    assert diff.gained_domains.to_dict("records") == [{"domain": "fresh.io", "backlinks": 1, "ascore": 15}]
    assert diff.lost_domains.to_dict("records") == [{"domain": "gone.net", "backlinks": 9, "ascore": 70}]
    assert diff.ascore_changes.to_dict("records") == [
        {"domain": "a.com", "old_ascore": 40, "new_ascore": 41, "change": 1}]
    assert (diff.old_backlinks, diff.new_backlinks, diff.old_domains, diff.new_domains) == (13, 7, 3, 3)


def test_anchor_snapshots():
    old = pd.DataFrame({"anchor": ["Acme", "click here", "old anchor"], "domains": [5, 2, 1],
                        "backlinks": [9, 3, 1]}).astype({"anchor": "str", "domains": "Int64", "backlinks": "Int64"})
    new = pd.DataFrame({"anchor": ["acme", "new anchor", ""], "domains": [6, 2, 1],
                        "backlinks": [10, 4, 1]}).astype({"anchor": "str", "domains": "Int64", "backlinks": "Int64"})
    diff = diff_anchors(old, new)
    assert set(diff.appeared_anchors["anchor"]) == {"new anchor"}
    assert set(diff.vanished_anchors["anchor"]) == {"click here", "old anchor"}
    assert list(diff.vanished_anchors["anchor"]) == ["click here", "old anchor"]  # most backlinks first


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        diff_snapshots("tld", OLD, NEW)


ROW = ("{ascore},T,{source},https://acme.com/{page},{anchor},3,10,false,false,false,true,false,false,false,false,"
       "2024-01-10,{last},false,false")


def test_importing_two_exports_in_the_wrong_order_diffs_them_in_data_order(data_dir):
    """End to end through lib.importer: the older export, imported second, still counts as the old side."""
    workspace = create_workspace("Acme", "acme.com")
    newer = backlinks_csv(
        ROW.format(ascore=30, source="https://blog.beans.com/post", page="", anchor="Acme", last="2024-04-30"),
        ROW.format(ascore=12, source="https://new.example.org/a", page="shop", anchor="grinders", last="2024-04-28"),
    )
    older = backlinks_csv(
        ROW.format(ascore=25, source="https://blog.beans.com/post", page="", anchor="Acme", last="2024-02-28"),
        ROW.format(ascore=40, source="https://old.example.net/b", page="blog", anchor="brew guide",
                   last="2024-02-20"),
    )
    importer.import_bytes(workspace, newer, "acme.com-backlinks-april.csv")
    importer.import_bytes(workspace, older, "acme.com-backlinks-february.csv")
    old_snap, new_snap = snapshots.list_snapshots(workspace.id, "backlinks", "acme.com")
    assert (old_snap.data_date, new_snap.data_date) == (date(2024, 2, 28), date(2024, 4, 30))
    assert old_snap.source_name.endswith("february.csv")
    diff = diff_snapshots("backlinks", snapshots.load_frame(old_snap), snapshots.load_frame(new_snap))
    assert diff.gained_pairs == {("https://new.example.org/a", "https://acme.com/shop")}
    assert diff.lost_pairs == {("https://old.example.net/b", "https://acme.com/blog")}
    assert set(diff.gained_domains["domain"]) == {"example.org"}
    assert set(diff.lost_domains["domain"]) == {"example.net"}
    assert diff.ascore_changes.to_dict("records") == [
        {"domain": "beans.com", "old_ascore": 25, "new_ascore": 30, "change": 5}]
    assert set(diff.appeared_anchors["anchor"]) == {"grinders"}
    assert set(diff.vanished_anchors["anchor"]) == {"brew guide"}


def test_imported_snapshots_carry_their_link_keys_and_frames_without_them_are_hashed(data_dir):
    workspace = create_workspace("Acme", "acme.com")
    importer.import_bytes(workspace, backlinks_csv(
        ROW.format(ascore=30, source="https://blog.beans.com/post", page="", anchor="Acme", last="2024-04-30"),
        ROW.format(ascore=12, source="https://new.example.org/a", page="shop", anchor="grinders", last="2024-04-28"),
    ), "acme.com-backlinks.csv")
    stored = snapshots.load_frame(snapshots.latest_snapshot(workspace.id, "backlinks"))
    assert stored["link_key"].dtype == "uint64"
    hashed = link_keys(stored.drop(columns="link_key"))
    assert stored["link_key"].tolist() == hashed.tolist()
    assert len(set(hashed.tolist())) == 2
    # Read from the column, not hashed again: a stored key is what the comparison uses.
    assert link_keys(stored.assign(link_key=stored["link_key"][::-1].to_numpy())).tolist() == hashed[::-1].tolist()
    # A concat with a snapshot imported before keys were stored loses the column's type: hashed instead.
    mixed = pd.concat([stored, stored.drop(columns="link_key")], ignore_index=True)
    assert mixed["link_key"].dtype != "uint64"
    assert link_keys(mixed).tolist() == hashed.tolist() * 2


def test_a_link_flagged_lost_in_the_newer_snapshot_is_lost():
    old = OLD.assign(lost_link=False)
    new = pd.concat([NEW.assign(lost_link=False),
                     OLD.iloc[[1]].assign(lost_link=True)], ignore_index=True)  # a.com/2 still listed, flagged lost
    diff = diff_backlinks(old, new)
    assert ("https://a.com/2", "https://me.com/shop") in diff.lost_pairs
    assert diff.new_backlinks == 5 and diff.old_backlinks == 4
    assert set(diff.vanished_anchors["anchor"]) == {"best grinder"}


def test_anchors_normalise_as_python_split_and_lower_in_ascii_and_unicode():
    raw = ["  Best  Grinder ", "best grinder", "A\tB\nC\x0bD\x0cE\rF\x1cG\x1fH", "ÉCLAIR\u00a0Café", "Straße\u2003X",
           "\u2028line\u3000sep ", "İstanbul", "", None, "x", "ＦＵＬＬ width"]
    expected = ["best grinder", "best grinder", "a b c d e f g h", "éclair café", "straße x", "line sep",
                "İstanbul".lower(), "", "", "x", "ｆｕｌｌ width"]
    assert expected == [" ".join((t or "").split()).lower() for t in raw]  # the rule, in Python
    got = normalize_anchor(pd.Series(raw, index=range(5, 16), dtype="str"))
    assert got.tolist() == expected and list(got.index) == list(range(5, 16))


def test_backlink_diff_counts_only_live_links_in_domains_and_anchors():
    old = pd.DataFrame({"source_url": ["https://a.com/1", "https://a.com/2", "https://b.com/1"],
                        "target_url": ["https://me.com/", "https://me.com/", "https://me.com/x"],
                        "source_domain": ["a.com", "a.com", "b.com"], "page_ascore": pd.array([10, 30, 5], "Int64"),
                        "anchor": ["Me", "me ", "gone"], "lost_link": [False, False, False]})
    new = old.assign(lost_link=[False, True, True], page_ascore=pd.array([12, 30, 5], "Int64"))
    diff = diff_backlinks(old, new)
    assert diff.new_backlinks == 1 and diff.old_backlinks == 3
    assert diff.lost_pairs == {("https://a.com/2", "https://me.com/"), ("https://b.com/1", "https://me.com/x")}
    assert diff.lost_domains["domain"].tolist() == ["b.com"]
    assert diff.ascore_changes.to_dict("records") == [{"domain": "a.com", "old_ascore": 30, "new_ascore": 12,
                                                       "change": -18}]
    assert diff.vanished_anchors.to_dict("records") == [{"anchor": "gone", "backlinks": 1, "domains": 1}]
    assert diff.appeared_anchors.empty
