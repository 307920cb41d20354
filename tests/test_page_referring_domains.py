"""AppTest of the Referring domains page on the demo workspace: table, filters, marks, overrides, drill-down."""

from __future__ import annotations

import pytest

from lib import marks, snapshots
from lib.analysis import referring_domains as rd
from lib.analysis.categories import CATEGORY_LABELS, categorize_domains
from lib.workspaces import create_workspace, get_workspace

PAGE = "pages/referring_domains.py"


def expected_table(root):
    workspace = get_workspace("demo", root)
    backlinks = snapshots.latest_snapshot("demo", "backlinks", workspace.own_domain, root)
    refdomains = snapshots.latest_snapshot("demo", "referring_domains", workspace.own_domain, root)
    frames = [snapshots.load_frame(s, root) if s else None for s in (backlinks, refdomains)]
    data_date = max(s.data_date for s in (backlinks, refdomains) if s)
    categories = categorize_domains(*frames, workspace.target_keywords, marks.category_overrides("demo", root))
    return rd.domain_table(*frames, data_date, categories, marks.marks_for("demo", root))


@pytest.fixture
def page(app_test, demo_data_dir):
    at = app_test(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_table_shows_the_live_domains(page, demo_data_dir):
    expected = rd.filter_domains(expected_table(demo_data_dir), rd.DomainFilter(include_lost=False))
    shown = page.dataframe[0].value
    assert len(shown) == min(len(expected), 5_000)
    assert set(shown["domain"]) == set(expected["domain"].head(5_000))
    assert set(shown["category"]) <= set(CATEGORY_LABELS.values())
    assert shown["category_reason"].str.len().gt(0).all()
    assert any(f"{len(expected):,} referring domains" in c.value for c in page.caption)


def test_category_and_text_filters(page, demo_data_dir):
    page.multiselect(key="rd_categories").set_value(["suspicious"])
    page.run()
    assert not page.exception
    shown = page.dataframe[0].value
    expected = rd.filter_domains(expected_table(demo_data_dir),
                                 rd.DomainFilter(categories=("suspicious",), include_lost=False))
    assert len(shown) == len(expected) > 0
    assert set(shown["category"]) == {"Unrelated / suspicious"}
    first = str(shown["domain"].iloc[0])
    page.text_input(key="rd_search").set_value(first)
    page.run()
    assert first in set(page.dataframe[0].value["domain"])


def test_marking_a_selected_domain_and_overriding_its_category(page, demo_data_dir):
    first = str(page.dataframe[0].value["domain"].iloc[0])
    page.session_state[page.dataframe[0].key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    page.run()
    assert not page.exception
    assert [s.value for s in page.subheader] == ["1 selected"]
    # the selected domain's backlinks are listed under the table
    links = page.dataframe[1].value
    assert len(links) > 0 and links["source_url"].str.contains(first.split(".")[0], regex=False).all()

    page.radio(key="rd_mark_choice").set_value("review")
    page.text_input(key="rd_mark_note").set_value("=HYPERLINK(\"x\") footer link")
    assert page.checkbox(key="rd_mark_private").value  # notes are private unless shared
    page.button[[b.label for b in page.button].index("Save mark")].click()
    page.run()
    assert not page.exception
    stored = marks.marks_for("demo", demo_data_dir)
    assert stored[["domain", "mark", "note", "note_private"]].values.tolist() == [
        [first, "review", "=HYPERLINK(\"x\") footer link", True]]
    table = page.dataframe[0].value.set_index("domain")
    assert table.loc[first, "mark"] == "Review"

    page.selectbox(key="rd_category_choice").set_value("partner")
    page.button[[b.label for b in page.button].index("Save category")].click()
    page.run()
    assert not page.exception
    assert marks.category_overrides("demo", demo_data_dir) == {first: "partner"}
    row = page.dataframe[0].value.set_index("domain").loc[first]
    assert (row["category"], row["category_reason"]) == ("Partner", "Set by you")


def test_a_filter_change_clears_the_selection(page):
    page.session_state[page.dataframe[0].key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    page.run()
    assert [s.value for s in page.subheader] == ["1 selected"]
    # Position 0 is another domain after filtering: the old selection must not carry over to it.
    page.text_input(key="rd_search").set_value("zz-no-such-domain-zz")
    page.run()
    assert not page.exception
    assert not page.subheader
    assert page.dataframe[0].value.empty


def test_mark_filter_finds_marked_domains(page, demo_data_dir):
    domains = page.dataframe[0].value["domain"].head(3).tolist()
    marks.set_marks("demo", domains[:2], "good", "", demo_data_dir)
    page.multiselect(key="rd_marks").set_value(["good"])
    page.run()
    assert sorted(page.dataframe[0].value["domain"]) == sorted(domains[:2])


def test_empty_workspace_asks_for_an_export(app_test, demo_data_dir):
    create_workspace("Empty", "empty-site.com", workspace_id="empty", root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "empty"
    at.run()
    assert not at.exception
    assert any("Referring Domains" in i.value for i in at.info)
    assert not at.dataframe


def test_backlinks_export_alone_still_lists_domains(app_test, demo_data_dir):
    demo = get_workspace("demo", demo_data_dir)
    workspace = create_workspace("Links only", "links-only.com", workspace_id="linksonly", root=demo_data_dir)
    source = snapshots.latest_snapshot("demo", "backlinks", demo.own_domain, demo_data_dir)
    frame = snapshots.load_frame(source, demo_data_dir)
    snapshots.save_snapshot(workspace.id, "backlinks", frame, target_domain=workspace.own_domain, source="upload",
                            source_name="x.csv", data_date=source.data_date, root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "linksonly"
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    expected = rd.filter_domains(rd.domain_table(frame, None, source.data_date), rd.DomainFilter(include_lost=False))
    assert len(shown) == len(expected) > 0
    assert shown["domain_ascore"].isna().all()  # only a Referring Domains export knows a domain's score
    assert shown["best_page_ascore"].notna().any()


def test_referring_domains_export_alone_lists_domains_without_follow_shares(app_test, demo_data_dir):
    demo = get_workspace("demo", demo_data_dir)
    workspace = create_workspace("Domains only", "domains-only.com", workspace_id="rdonly", root=demo_data_dir)
    source = snapshots.latest_snapshot("demo", "referring_domains", demo.own_domain, demo_data_dir)
    frame = snapshots.load_frame(source, demo_data_dir)
    snapshots.save_snapshot(workspace.id, "referring_domains", frame, target_domain=workspace.own_domain,
                            source="upload", source_name="x.csv", data_date=source.data_date, root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "rdonly"
    at.run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert len(shown) > 0 and shown["domain_ascore"].notna().all()
    assert shown["follow_share"].isna().all()  # only a Backlinks export knows follow / nofollow


def test_presentation_shows_shared_notes_only_and_keeps_notes_when_marking(app_test, demo_data_dir):
    at = app_test("pages/referring_domains.py")
    at.query_params["present"] = "1"
    at.run()
    private_one, shared_one = at.dataframe[0].value["domain"].head(2).tolist()
    marks.set_marks("demo", [private_one], "review", "owes us money", demo_data_dir)
    marks.set_marks("demo", [shared_one], "good", "editorial link in their guide", demo_data_dir, private=False)
    at.run()
    assert not at.exception
    notes = at.dataframe[0].value.set_index("domain")["note"]
    assert notes[shared_one] == "editorial link in their guide"
    assert notes[private_one] == ""
    assert "owes us money" not in str(at)
    at.text_input(key="rd_search").set_value("owes us")
    at.run()
    assert at.dataframe[0].value.empty  # a search does not find a private note
    at.text_input(key="rd_search").set_value("")
    at.run()
    # a mark changed on the shared screen keeps both notes and their privacy
    rows = at.dataframe[0].value.reset_index(drop=True)
    picked = rows.index[rows["domain"].isin([private_one, shared_one])].tolist()
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": picked, "columns": [], "cells": []}}
    at.run()
    assert [s.value for s in at.subheader] == ["2 selected"]
    assert not [t for t in at.text_input if t.key == "rd_mark_note"]
    at.radio(key="rd_mark_choice").set_value("review")
    at.button[[b.label for b in at.button].index("Save mark")].click()
    at.run()
    stored = marks.marks_for("demo", demo_data_dir).set_index("domain")
    assert stored.loc[private_one, ["mark", "note", "note_private"]].tolist() == ["review", "owes us money", True]
    assert stored.loc[shared_one, ["mark", "note", "note_private"]].tolist() == [
        "review", "editorial link in their guide", False]
