"""Marks set on Referring domains ("good" / "review") are shown on the later screens: Audit, Gap, New & lost."""

from __future__ import annotations

from lib import marks
from tests.page_helpers import open_page


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_audit_queue_shows_your_marks(demo_data_dir, app_test):
    first = open_page(app_test, "pages/audit.py")
    queue = table_with(first, "risk_score")
    riskiest, second = str(queue["domain"].iloc[0]), str(queue["domain"].iloc[1])
    marks.set_marks("demo", [riskiest], "review", "odd", demo_data_dir)
    marks.set_marks("demo", [second], "good", "", demo_data_dir)
    at = open_page(app_test, "pages/audit.py")
    shown = table_with(at, "your_mark").set_index("domain")["your_mark"]
    assert (shown[riskiest], shown[second]) == ("Review", "Good")
    assert set(shown.drop([riskiest, second])) == {""}


def test_gap_table_shows_your_marks(demo_data_dir, app_test):
    table = table_with(open_page(app_test, "pages/gap.py"), "priority")
    top = str(table["domain"].iloc[0])
    marks.set_marks("demo", [top], "good", "", demo_data_dir)
    at = open_page(app_test, "pages/gap.py")
    shown = table_with(at, "your_mark").set_index("domain")["your_mark"]
    assert shown[top] == "Good" and (shown.drop(top) == "").all()


def test_lost_links_show_the_mark_of_their_domain(demo_data_dir, app_test):
    lost = table_with(open_page(app_test, "pages/new_lost.py"), "lost_how")
    domain = str(lost["source_domain"].iloc[0])
    marks.set_marks("demo", [domain], "review", "", demo_data_dir)
    at = open_page(app_test, "pages/new_lost.py")
    shown = table_with(at, "lost_how")
    assert set(shown.loc[shown["source_domain"] == domain, "your_mark"]) == {"Review"}
    assert set(shown.loc[shown["source_domain"] != domain, "your_mark"]) <= {""}
