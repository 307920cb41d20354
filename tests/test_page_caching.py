"""Cached pages still show a change saved elsewhere (another tab, the lib) on their next rerun.

The Audit and Referring domains pages cache their joined tables (cache_resource) keyed by a version stamp of
the decisions / marks; these tests save through lib, as another browser tab would, and check the very next
rerun of the same session shows it, while a rerun with nothing changed recomputes nothing.
"""

from __future__ import annotations

import pytest

from lib import decisions, marks
from lib.analysis import new_lost
from lib.analysis import referring_domains as rd

RD_PAGE = "pages/referring_domains.py"
AUDIT_PAGE = "pages/audit.py"


def counting(monkeypatch: pytest.MonkeyPatch, module, name: str) -> list[int]:
    """Count the calls of module.name from now on (the pages call it through the module)."""
    calls: list[int] = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def row_of(at, domain: str):
    table = at.dataframe[0].value.set_index("domain")
    return table.loc[domain]


def run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_version_stamps_change_with_every_save_and_only_then(demo_data_dir):
    root = demo_data_dir
    before_marks, before_decisions = marks.marks_version("demo", root), decisions.decisions_version("demo", root)
    assert marks.marks_version("demo", root) == before_marks  # stable while nothing changes
    marks.set_marks("demo", ["a.example"], "good", "one", root)
    first = marks.marks_version("demo", root)
    marks.set_marks("demo", ["a.example"], "good", "two", root)  # same second, same count: still a new stamp
    second = marks.marks_version("demo", root)
    marks.set_category("demo", ["a.example"], "directory", root)
    third = marks.marks_version("demo", root)
    marks.clear_marks("demo", ["a.example"], root)
    fourth = marks.marks_version("demo", root)
    assert len({before_marks, first, second, third, fourth}) == 5
    assert marks.marks_version("other", root) != third  # per workspace

    decisions.set_decisions("demo", ["a.example"], "keep", root=root)
    one = decisions.decisions_version("demo", root)
    decisions.set_decisions("demo", ["a.example"], "keep", "why", root=root)  # note only, same second
    two = decisions.decisions_version("demo", root)
    decisions.set_decisions("demo", ["a.example"], "keep", "why", root=root)  # nothing changes: no new stamp
    assert decisions.decisions_version("demo", root) == two
    assert before_decisions == (0, 0) and one[0] == two[0] == 1 and one != two


def test_referring_domains_show_a_mark_saved_in_another_tab_on_the_next_rerun(app_test, demo_data_dir,
                                                                              monkeypatch):
    at = run(app_test(RD_PAGE))
    domain = str(at.dataframe[0].value["domain"].iloc[0])
    assert row_of(at, domain)["mark"] == ""
    merges = counting(monkeypatch, rd, "with_marks")

    run(at)
    assert merges == []  # nothing changed: the marked table comes from the cache

    marks.set_marks("demo", [domain], "good", "editorial link", demo_data_dir)
    run(at)
    assert (row_of(at, domain)["mark"], row_of(at, domain)["note"]) == ("Good", "editorial link")
    assert len(merges) == 1

    # A second save within the same second (same row count, same timestamp) still shows.
    marks.set_marks("demo", [domain], "review", "asked them twice", demo_data_dir)
    run(at)
    assert (row_of(at, domain)["mark"], row_of(at, domain)["note"]) == ("Review", "asked them twice")

    marks.clear_marks("demo", [domain], demo_data_dir)
    run(at)
    assert row_of(at, domain)["mark"] == ""


def test_audit_shows_a_decision_saved_in_another_tab_on_the_next_rerun(app_test, demo_data_dir, monkeypatch):
    at = run(app_test(AUDIT_PAGE))
    metric = {m.label: m.value for m in at.metric}
    assert metric["Disavow decisions"] == "0"
    domain = str(at.dataframe[1].value["domain"].iloc[0])  # [0] is the weights table in the expander
    joins = counting(monkeypatch, decisions, "review_queue")

    run(at)
    assert joins == []  # nothing changed: the queue comes from the cache

    decisions.set_decisions("demo", [domain], "disavow", "paid link network", root=demo_data_dir)
    run(at)
    metric = {m.label: m.value for m in at.metric}
    assert metric["Disavow decisions"] == "1"
    assert metric["Domains decided"].startswith("1 of ")
    queue = at.dataframe[1].value.set_index("domain")
    assert (queue.loc[domain, "decision"], queue.loc[domain, "note"]) == ("Disavow", "paid link network")
    assert len(joins) == 1  # decisions joined again; the per-domain anchors were not recomputed

    decisions.set_decisions("demo", [domain], "keep", "checked: fine", root=demo_data_dir)
    run(at)
    queue = at.dataframe[1].value.set_index("domain")
    assert queue.loc[domain, "decision"] == "Keep"
    assert {m.label: m.value for m in at.metric}["Disavow decisions"] == "0"


def test_overview_and_new_lost_compare_the_snapshots_once_between_them(app_test, monkeypatch):
    comparisons = counting(monkeypatch, new_lost, "vanished_backlinks")
    run(app_test("pages/overview.py"))
    assert len(comparisons) == 1
    at = run(app_test("pages/new_lost.py"))
    assert len(comparisons) == 1  # the Overview's vanished links, shared
    assert at.metric and at.dataframe
