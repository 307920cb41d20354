"""AppTests of the New & lost page on the demo workspace and on a small hand-made one."""

from __future__ import annotations

from datetime import date

import pytest

from lib import important_pages, importer, snapshots
from lib.analysis import new_lost
from lib.workspaces import create_workspace, get_setting
from tests import page_helpers
from tests.page_helpers import metrics
from tests.test_importer import backlinks_csv

PAGE = "pages/new_lost.py"


def open_page(app_test, workspace_id: str = "demo"):
    return page_helpers.open_page(app_test, PAGE, workspace_id)


@pytest.fixture
def demo_site(demo_data_dir) -> str:
    from lib.workspaces import get_workspace

    return get_workspace("demo").own_domain


def test_demo_page_shows_the_numbers_lib_computes(demo_site, app_test):
    at = open_page(app_test)
    assert at.title[0].value == "New & lost"
    history = snapshots.list_snapshots("demo", "backlinks", demo_site)
    dated = [(s.data_date, snapshots.load_frame(s)) for s in history]
    refdomains = snapshots.latest_snapshot("demo", "referring_domains", demo_site)
    links = new_lost.link_events(dated[-1][1], new_lost.vanished_backlinks(dated), snapshots.load_frame(refdomains),
                                 history[-1].data_date)
    last = history[-1].data_date
    start, end = new_lost.range_ending(last, 182, "month")
    report = new_lost.new_lost_report(links, start, end, "month", 40)
    shown = metrics(at)
    assert shown["New backlinks"] == f"{len(report.new_links):,}"
    assert shown["Lost backlinks"] == f"{len(report.lost_links):,}"
    assert shown["New referring domains"] == f"{len(report.new_domains):,}"
    assert shown["Lost referring domains"] == f"{len(report.lost_domains):,}"
    assert shown["Strong links lost"] == f"{report.strong_lost:,}"
    assert len(report.lost_links) > 0 and len(report.new_links) > 0, "the demo should have movement to show"
    # The lost-links table lists strong domains first.
    lost_table = next(d.value for d in at.dataframe if "strong" in d.value.columns and "lost_how" in d.value.columns)
    strong = lost_table["strong"].tolist()
    assert strong == sorted(strong, reverse=True)


def test_weekly_view_and_a_longer_range(demo_data_dir, app_test):
    at = open_page(app_test)
    six_months = metrics(at)["New backlinks"]
    at.radio(key="nl_freq").set_value("week").run()
    assert not at.exception
    timeline = next(d.value for d in at.dataframe if "net_domains" in d.value.columns)
    assert (timeline["period"].dt.day_of_week == 0).all()  # weeks start on Monday
    at.selectbox(key="nl_range").set_value("Last 12 months").run()
    assert not at.exception
    assert int(metrics(at)["New backlinks"].replace(",", "")) >= int(six_months.replace(",", ""))


def test_threshold_is_saved_for_the_workspace(demo_data_dir, app_test):
    at = open_page(app_test)
    before = int(metrics(at)["Strong links lost"].replace(",", ""))
    at.slider(key="nl_threshold").set_value(0).run()
    assert not at.exception
    assert get_setting("demo", "new_lost_strong_ascore") == 0
    after = int(metrics(at)["Strong links lost"].replace(",", ""))
    assert after == int(metrics(at)["Lost backlinks"].replace(",", "")) and after >= before
    again = open_page(app_test)
    assert again.slider(key="nl_threshold").value == 0


ROW = ("{ascore},T,{source},https://acme.com/{page},anchor,3,10,false,false,false,true,false,false,false,false,"
       "{first},{last},false,{lost}")


@pytest.fixture
def acme(demo_data_dir):
    """Two hand-made monthly exports: one link vanishes, one is flagged lost, one is new."""
    workspace = create_workspace("Acme", "acme.com")
    march = backlinks_csv(
        ROW.format(ascore=60, source="https://strong.org/a", page="pricing", first="2023-05-01", last="2024-03-30",
                   lost="false"),
        ROW.format(ascore=20, source="https://weak.net/b", page="blog", first="2023-06-01", last="2024-03-29",
                   lost="false"),
    )
    april = backlinks_csv(
        ROW.format(ascore=20, source="https://weak.net/b", page="blog", first="2023-06-01", last="2024-04-10",
                   lost="true"),
        ROW.format(ascore=35, source="https://fresh.io/c", page="guide", first="2024-04-12", last="2024-04-29",
                   lost="false"),
    )
    importer.import_bytes(workspace, april, "acme.com-backlinks-2024-04-30.csv")
    importer.import_bytes(workspace, march, "acme.com-backlinks-2024-03-31.csv")
    return workspace


def test_hand_made_workspace_exact_numbers(acme, app_test):
    at = open_page(app_test, acme.id)
    shown = metrics(at)
    # In the six months up to 30 Apr 2024: fresh.io is new; weak.net was flagged lost on 10 Apr and strong.org
    # disappeared (in March, gone by the 30 April snapshot).
    assert shown["New backlinks"] == "1" and shown["New referring domains"] == "1"
    assert shown["Lost backlinks"] == "2" and shown["Lost referring domains"] == "2"
    assert shown["Strong links lost"] == "1"
    lost_table = next(d.value for d in at.dataframe if "lost_how" in d.value.columns)
    assert lost_table["source_url"].tolist() == ["https://strong.org/a", "https://weak.net/b"]
    assert lost_table["lost_how"].tolist() == ["disappeared", "flagged lost"]
    assert lost_table["target_url"].tolist() == ["https://acme.com/pricing", "https://acme.com/blog"]


def test_important_pages_are_stored_and_their_losses_listed(acme, app_test):
    at = open_page(app_test, acme.id)
    widget = at.multiselect(key=f"nl_important_{acme.id}")
    assert "https://acme.com/pricing" in widget.options
    widget.set_value(["https://acme.com/pricing"]).run()
    assert not at.exception
    assert important_pages.list_pages(acme.id) == ["https://acme.com/pricing"]
    assert any("1 lost backlinks pointed to your important pages (1 from strong domains)" in w.value
               for w in at.warning)
    # Another tab adds a page; this one shows it on its next run without losing its own.
    important_pages.add_pages(acme.id, ["https://acme.com/blog"])
    at.run()
    assert at.multiselect(key=f"nl_important_{acme.id}").value == ["https://acme.com/blog",
                                                                    "https://acme.com/pricing"]
    at.multiselect(key=f"nl_important_{acme.id}").set_value(["https://acme.com/blog"]).run()
    assert important_pages.list_pages(acme.id) == ["https://acme.com/blog"]


def test_custom_date_range(acme, app_test):
    at = open_page(app_test, acme.id)
    at.selectbox(key="nl_range").set_value("Custom").run()
    at.date_input(key="nl_dates").set_value((date(2024, 4, 11), date(2024, 4, 30))).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["New backlinks"] == "1" and shown["Lost backlinks"] == "1"  # only the disappeared one (30 Apr)


def test_a_workspace_without_backlinks_says_what_to_import(demo_data_dir, app_test):
    empty = create_workspace("Empty", "empty-site.com")
    at = open_page(app_test, empty.id)
    assert any("Backlinks" in i.value for i in at.info)
