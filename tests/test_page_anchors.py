"""AppTest of the Anchors page on the demo workspace: verdict, terms editing, warning limit, sites per anchor."""

from __future__ import annotations

import pytest

from lib import snapshots
from lib.analysis import anchor_profile as ap
from lib.analysis.anchors import AnchorContext
from lib.workspaces import create_workspace, get_setting, get_workspace

PAGE = "pages/anchors.py"


def expected_profile(root) -> ap.AnchorProfile:
    workspace = get_workspace("demo", root)
    latest = snapshots.latest_snapshot("demo", "backlinks", workspace.own_domain, root)
    context = AnchorContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords)
    return ap.profile_from_backlinks(snapshots.load_frame(latest, root), context, latest.data_date)


@pytest.fixture
def page(app_test, demo_data_dir):
    at = app_test(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _verdict_texts(at) -> list[str]:
    return [w.value for w in at.warning] + [s.value for s in at.success]


def test_verdict_and_anchor_table_match_the_analysis(page, demo_data_dir):
    profile = expected_profile(demo_data_dir)
    verdict = ap.over_optimisation(profile, ap.DEFAULT_THRESHOLD)
    assert verdict.sentence() in _verdict_texts(page)
    table = page.dataframe[0].value
    assert len(table) == min(len(profile.anchors), 5_000)
    top = profile.anchors.iloc[0]
    assert (table["anchor"].iloc[0], table["domains"].iloc[0]) == (top["anchor"], top["domains"])
    assert set(table["category"]) <= set(profile.anchors["label"])


def test_raising_the_limit_is_stored_and_changes_the_verdict(page, demo_data_dir):
    page.slider(key="anchor_threshold").set_value(90)
    page.run()
    assert not page.exception
    assert get_setting("demo", ap.THRESHOLD_SETTING, root=demo_data_dir) == 0.9
    assert [s.value for s in page.success][0].endswith("within your 90% limit: the profile looks natural "
                                                      "(mostly brand, URL and generic anchors).")
    assert not page.warning


def test_editing_keywords_reclassifies(page, demo_data_dir):
    page.text_area[1].set_value("zzz-not-an-anchor-word")
    page.button[[b.label for b in page.button].index("Save and reclassify")].click()
    page.run()
    assert not page.exception
    assert get_workspace("demo", demo_data_dir).target_keywords == ("zzz-not-an-anchor-word",)
    profile = expected_profile(demo_data_dir)
    assert profile.keyword_domains == 0
    assert not {"Exact-match keyword", "Partial-match keyword"} & set(page.dataframe[0].value["category"])


def test_selecting_an_anchor_lists_the_sites_using_it(page, demo_data_dir):
    anchor = str(page.dataframe[0].value["anchor"].iloc[0])
    page.session_state[page.dataframe[0].key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    page.run()
    assert not page.exception
    sites = page.dataframe[1].value
    workspace = get_workspace("demo", demo_data_dir)
    latest = snapshots.latest_snapshot("demo", "backlinks", workspace.own_domain, demo_data_dir)
    expected = ap.domains_using(snapshots.load_frame(latest, demo_data_dir), anchor, latest.data_date)
    assert sorted(sites["domain"]) == sorted(expected["domain"].head(5_000))
    assert any("Sites linking with" in m.value for m in page.markdown)


def test_type_filter(page):
    page.multiselect(key="anchors_types").set_value(["brand"])
    page.run()
    assert set(page.dataframe[0].value["category"]) == {"Brand"}


def test_empty_workspace_asks_for_an_export(app_test, demo_data_dir):
    create_workspace("Empty", "empty-site.com", workspace_id="empty", root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "empty"
    at.run()
    assert not at.exception
    assert any("Backlinks" in i.value and "Anchors" in i.value for i in at.info)


def test_anchors_export_alone_gives_the_distribution(app_test, demo_data_dir):
    demo = get_workspace("demo", demo_data_dir)
    workspace = create_workspace("Anchors only", "anchors-only.com", brand_terms=demo.brand_terms,
                                 target_keywords=demo.target_keywords, workspace_id="anchorsonly", root=demo_data_dir)
    source = snapshots.latest_snapshot("demo", "anchors", demo.own_domain, demo_data_dir)
    frame = snapshots.load_frame(source, demo_data_dir)
    snapshots.save_snapshot(workspace.id, "anchors", frame, target_domain=workspace.own_domain, source="upload",
                            source_name="x.csv", data_date=source.data_date, root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "anchorsonly"
    at.run()
    assert not at.exception
    context = AnchorContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords)
    profile = ap.profile_from_export(frame, context)
    assert ap.over_optimisation(profile).sentence() in _verdict_texts(at)
    assert len(at.dataframe[0].value) == len(profile.anchors)
    assert any("From your Anchors export" in c.value for c in at.caption)
    assert len(at.dataframe) == 1  # no per-site drill-down without backlinks
