"""AppTest of the Backlink gap page on the demo workspace: counts equal lib's, weights reorder and persist,
selected rows go to the outreach list, and the empty state says what fills the page."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import outreach, snapshots
from lib.analysis import gap as g
from lib.analysis import priority as pr
from lib.workspaces import create_workspace, get_workspace

PAGE = "pages/gap.py"


def expected_gap(root) -> g.Gap:
    workspace = get_workspace("demo", root)
    long = snapshots.load_frame(snapshots.latest_snapshot("demo", "gap", workspace.own_domain, root), root)
    return g.gap_from_export(long, workspace.own_domain, workspace.competitors)


@pytest.fixture
def page(app_test, demo_data_dir):
    at = app_test(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_category_counts_shown_equal_lib(page, demo_data_dir):
    counts = g.category_counts(expected_gap(demo_data_dir).frame)
    shown = metrics(page)
    assert shown == {"Opportunities": f"{counts['opportunity']:,}",
                     "Best": f"{counts['best']:,}", "Weak": f"{counts['weak']:,}", "Strong": f"{counts['strong']:,}",
                     "Shared": f"{counts['shared']:,}", "Unique": f"{counts['unique']:,}"}
    assert counts["best"] > 0 and counts["weak"] > 0
    # the definitions table is on the page
    definitions = [d.value for d in page.dataframe if "definition" in d.value.columns]
    assert list(definitions[0]["category"]) == list(g.CATEGORY_LABELS.values())


def test_table_lists_the_opportunities_by_priority(page, demo_data_dir):
    gap = expected_gap(demo_data_dir)
    table = _table(page)
    assert len(table) == int(gap.frame["opportunity"].sum())
    assert set(table["domain"]) == set(gap.frame.loc[gap.frame["opportunity"], "domain"])
    assert table["priority"].is_monotonic_decreasing
    for label in (*pr.PART_LABELS.values(), "grindlab.com", "alpinebrew.com (you)"):
        assert label in table.columns


def _table(at):
    return next(d.value for d in at.dataframe if "priority" in d.value.columns)


def test_a_weight_change_reorders_and_persists(page, app_test, demo_data_dir):
    for part in pr.PART_CODES:
        page.slider(key=f"gap_w_{part}").set_value(0)
    page.slider(key="gap_w_competitors").set_value(5)
    page.run()
    assert not page.exception
    by_competitors = _table(page)
    assert by_competitors["competitors_linked"].is_monotonic_decreasing
    page.slider(key="gap_w_competitors").set_value(0)
    page.slider(key="gap_w_relevance").set_value(5)
    page.run()
    by_relevance = _table(page)
    assert list(by_relevance["domain"].head(20)) != list(by_competitors["domain"].head(20))
    assert by_relevance["Relevance"].is_monotonic_decreasing
    stored = pr.load_weights("demo", demo_data_dir)
    assert stored == {c: 0 for c in pr.PART_CODES} | {"relevance": 5}
    # a fresh session (a restart) starts from the stored weights, in the same order
    fresh = app_test(PAGE)
    fresh.run()
    assert not fresh.exception
    assert fresh.slider(key="gap_w_relevance").value == 5 and fresh.slider(key="gap_w_competitors").value == 0
    assert list(_table(fresh)["domain"]) == list(by_relevance["domain"])


def test_filters(page, demo_data_dir):
    page.multiselect(key="gap_categories").set_value(["best"])
    page.run()
    gap = expected_gap(demo_data_dir)
    assert set(_table(page)["domain"]) == set(gap.frame.loc[gap.frame["best"], "domain"])
    page.multiselect(key="gap_categories").set_value(["opportunity"])
    page.slider(key="gap_ascore").set_value((30, 60))
    page.slider(key="gap_competitors").set_value((2, 4))
    page.run()
    table = _table(page)
    assert len(table) > 0
    assert table["domain_ascore"].between(30, 60).all() and table["competitors_linked"].between(2, 4).all()
    page.toggle(key="gap_exclude_risky").set_value(True)
    page.run()
    assert any("domain facts only" in c.value for c in page.caption)


def expected_risk(root):
    """The audit's risk of every gap domain, computed from the demo data the way the page's lib calls do."""
    from lib.analysis.risk import RiskContext
    from lib.countries import home_countries

    workspace = get_workspace("demo", root)
    gap = expected_gap(root)

    def frame(kind, domain):
        snapshot = snapshots.latest_snapshot("demo", kind, domain, root)
        return snapshots.load_frame(snapshot, root) if snapshot else None

    links = [f for f in (frame("backlinks", d) for d in gap.domains) if f is not None]
    refs = [f for f in (frame("referring_domains", d) for d in workspace.domains) if f is not None]
    context = RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords,
                          home_countries("demo", root))
    return g.gap_risk(gap.frame, context, refs, pd.concat(links, ignore_index=True) if links else None)


def test_exclude_risky_removes_exactly_the_risky_domains(page, demo_data_dir):
    from lib.analysis.risk import RISKY_SCORE

    before = _table(page)  # the default view: every opportunity (fewer than the table's row bound)
    gap = expected_gap(demo_data_dir).frame
    opportunities = gap[gap["opportunity"]]
    assert set(before["domain"]) == set(opportunities["domain"])
    risk = expected_risk(demo_data_dir)
    risky_roots = set(risk.loc[risk["risk_score"] >= RISKY_SCORE, "domain"])
    risky = set(opportunities.loc[opportunities["root_domain"].isin(risky_roots), "domain"])
    assert risky, "the demo gap has no risky domain: the toggle would test nothing"
    assert set(before.loc[before["risk_score"] >= RISKY_SCORE, "domain"]) == risky  # the column shown agrees
    page.toggle(key="gap_exclude_risky").set_value(True)
    page.run()
    assert not page.exception
    after = _table(page)
    assert set(before["domain"]) - set(after["domain"]) == risky
    assert set(after["domain"]) == set(before["domain"]) - risky
    assert not (after["risk_score"] >= RISKY_SCORE).any()
    page.toggle(key="gap_exclude_risky").set_value(False)
    page.run()
    assert set(_table(page)["domain"]) == set(before["domain"])


def test_selected_rows_go_to_outreach(page, demo_data_dir):
    first = _table(page)["domain"].iloc[:2].tolist()
    key = next(d.key for d in page.dataframe if "priority" in d.value.columns)
    page.session_state[key] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    page.run()
    page.button(key="gap_add_outreach").click()
    page.run()
    assert not page.exception
    listed = outreach.outreach_list("demo", demo_data_dir)
    assert sorted(listed["domain"]) == sorted(first)
    assert set(listed["source"]) == {"gap"} and listed["note"].str.startswith("Gap: ").all()
    assert any("Added 2" in s.value for s in page.success)


def test_the_referring_domains_path_gives_the_same_counts(page):
    page.radio(key="gap_source").set_value("referring domains")
    page.run()
    assert not page.exception
    counts = metrics(page)
    assert int(counts["Best"]) > 0
    page.radio(key="gap_source").set_value("gap export")
    page.run()
    assert metrics(page) == counts


def test_empty_workspace_says_what_fills_the_page(app_test, data_dir):
    create_workspace("Shop", "shop.com", ["rival.com"], root=data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "shop"
    at.run()
    assert not at.exception
    text = " ".join(i.value for i in at.info)
    assert "Backlink Gap" in text and "Referring Domains" in text
    assert not at.metric
