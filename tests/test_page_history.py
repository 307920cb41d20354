"""AppTests of the History page: trend, comparing two snapshots, and deleting one after confirming."""

from __future__ import annotations

from datetime import date

import pytest

from lib import importer, snapshots
from lib.analysis.snapshot_diff import diff_snapshots
from lib.workspaces import create_workspace, get_workspace, set_setting
from tests import page_helpers
from tests.page_helpers import metrics
from tests.test_importer import backlinks_csv

PAGE = "pages/history.py"


def open_page(app_test, workspace_id: str = "demo"):
    return page_helpers.open_page(app_test, PAGE, workspace_id)



def open_tab(at, kind: str, name: str):
    """Pick a tab of the comparison: only the open one is laid out."""
    at.session_state[f"history_diff_tab_{kind}"] = name
    return at.run()

def test_demo_compares_the_latest_two_backlinks_snapshots(demo_data_dir, app_test):
    at = open_page(app_test)
    assert at.title[0].value == "History"
    site = get_workspace("demo").own_domain
    *_, old, new = snapshots.list_snapshots("demo", "backlinks", site)
    diff = diff_snapshots("backlinks", snapshots.load_frame(old), snapshots.load_frame(new))
    shown = metrics(at)
    assert shown["Backlinks gained"] == f"{len(diff.gained_backlinks):,}"
    assert shown["Backlinks lost"] == f"{len(diff.lost_backlinks):,}"
    assert shown["Domains gained"] == f"{len(diff.gained_domains):,}"
    assert shown["Domains lost"] == f"{len(diff.lost_domains):,}"
    assert shown["Anchors appeared"] == f"{len(diff.appeared_anchors):,}"
    assert at.selectbox(key="history_group").value == ("backlinks", site)
    assert len(at.get("plotly_chart")) == 1  # the trend; the Authority Score movers wait in their tab
    assert not any("source_url" in d.value.columns for d in at.dataframe)  # the Backlinks tab is closed
    open_tab(at, "backlinks", "Authority Score changes")
    assert len(at.get("plotly_chart")) == 2
    assert any("change" in d.value.columns for d in at.dataframe)
    assert not any({"ascore", "backlinks"} <= set(d.value.columns) for d in at.dataframe)  # domains tab closed now


def test_trend_table_has_one_row_per_backlinks_snapshot(demo_data_dir, app_test):
    at = open_page(app_test)
    site = get_workspace("demo").own_domain
    held = snapshots.list_snapshots("demo", "backlinks", site)
    trend = next(d.value for d in at.dataframe if "risky_share" in d.value.columns)
    assert [d.date() for d in trend["data_date"]] == [s.data_date for s in held]
    assert trend["risky_share"].between(0, 1).all()


ROW = ("{ascore},T,{source},https://acme.com/,{anchor},3,10,false,false,false,true,false,false,false,false,"
       "2024-01-10,{last},false,false")


@pytest.fixture
def acme(demo_data_dir):
    """Two exports imported newest first: the timeline must still run February -> April."""
    workspace = create_workspace("Acme", "acme.com")
    april = backlinks_csv(ROW.format(ascore=30, source="https://blog.beans.com/p", anchor="Acme", last="2024-04-30"),
                          ROW.format(ascore=12, source="https://new.example.org/a", anchor="grinders",
                                     last="2024-04-28"))
    february = backlinks_csv(ROW.format(ascore=25, source="https://blog.beans.com/p", anchor="Acme",
                                        last="2024-02-28"),
                             ROW.format(ascore=40, source="https://old.example.net/b", anchor="brew guide",
                                        last="2024-02-20"))
    importer.import_bytes(workspace, april, "april.csv")
    importer.import_bytes(workspace, february, "february.csv")
    set_setting(workspace.id, "site_ascore", {"2024-02-27": 21, "2024-04-30": 24})
    return workspace


def test_an_older_import_is_compared_as_the_earlier_snapshot(acme, app_test):
    at = open_page(app_test, acme.id)
    shown = metrics(at)
    assert (shown["Backlinks gained"], shown["Backlinks lost"]) == ("1", "1")
    assert (shown["Domains gained"], shown["Domains lost"]) == ("1", "1")
    assert shown["Backlinks"] == "2" and shown["Site Authority Score"] == "24"
    assert any("From **28 Feb 2024** to **30 Apr 2024**" in m.value for m in at.markdown)
    open_tab(at, "backlinks", "Authority Score changes")
    ascore = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert ascore.to_dict("records") == [{"domain": "beans.com", "old_ascore": 25, "new_ascore": 30, "change": 5}]
    listing = next(d.value for d in at.dataframe if "file_or_report" in d.value.columns)
    assert listing["file_or_report"].tolist() == ["april.csv", "february.csv"]  # newest data first
    open_tab(at, "backlinks", "Backlinks")
    link_tables = [d.value for d in at.dataframe if "source_url" in d.value.columns]
    assert [t["source_url"].tolist() for t in link_tables] == [["https://new.example.org/a"],
                                                               ["https://old.example.net/b"]]


def test_picking_the_pair_the_wrong_way_round_still_compares_old_to_new(acme, app_test):
    at = open_page(app_test, acme.id)
    old_id, new_id = (s.id for s in snapshots.list_snapshots(acme.id, "backlinks"))
    at.selectbox(key="history_old_backlinks_acme.com").set_value(new_id)
    at.selectbox(key="history_new_backlinks_acme.com").set_value(old_id)
    at.run()
    assert not at.exception
    assert any("whichever way round" in c.value for c in at.caption)
    assert metrics(at)["Backlinks gained"] == "1"
    open_tab(at, "backlinks", "Backlinks")
    assert any("new.example.org" in str(v) for d in at.dataframe for v in d.value.get("source_url", []))


def test_deleting_a_snapshot_asks_first(acme, app_test):
    at = open_page(app_test, acme.id)
    february = snapshots.list_snapshots(acme.id, "backlinks")[0]
    at.selectbox(key="history_delete_pick").set_value(february.id).run()
    at.button(key="history_delete").click().run()
    assert not at.exception
    assert any("cannot be undone" in w.value for w in at.warning)
    assert len(snapshots.list_snapshots(acme.id)) == 2  # nothing deleted yet
    at.button(key="history_delete_no").click().run()
    assert not any("cannot be undone" in w.value for w in at.warning)
    assert len(snapshots.list_snapshots(acme.id)) == 2
    at.button(key="history_delete").click().run()
    at.button(key="history_delete_yes").click().run()
    assert not at.exception
    remaining = snapshots.list_snapshots(acme.id)
    assert [s.data_date for s in remaining] == [date(2024, 4, 30)]
    assert any("deleted" in s.value for s in at.success)
    assert any("two snapshots of the same kind" in i.value for i in at.info)  # nothing left to compare


def test_a_workspace_without_data_says_what_to_import(demo_data_dir, app_test):
    empty = create_workspace("Empty", "empty-site.com")
    at = open_page(app_test, empty.id)
    assert any("Backlinks" in i.value for i in at.info)


REFDOMAINS_HEADER = "Domain ascore,Domain,Backlinks,IP,Country,First seen,Last seen\n"


def test_comparing_two_referring_domains_snapshots(acme, app_test):
    importer.import_bytes(acme, (REFDOMAINS_HEADER + "40,beans.com,3,1.2.3.4,US,2024-01-01,2024-02-27\n"
                                 "55,gone.net,1,1.2.3.5,DE,2023-05-01,2024-02-20\n").encode(),
                          "acme.com-refdomains-feb.csv")
    importer.import_bytes(acme, (REFDOMAINS_HEADER + "43,beans.com,4,1.2.3.4,US,2024-01-01,2024-04-29\n"
                                 "20,fresh.io,2,1.2.3.6,FR,2024-04-01,2024-04-28\n").encode(),
                          "acme.com-refdomains-apr.csv")
    at = open_page(app_test, acme.id)
    assert "Referring Domains · acme.com" in at.selectbox(key="history_group").options
    at.selectbox(key="history_group").set_value(("referring_domains", "acme.com")).run()
    assert not at.exception
    shown = metrics(at)
    assert (shown["Domains gained"], shown["Domains lost"], shown["Backlinks"]) == ("1", "1", "6")
    gained, lost = (d.value for d in at.dataframe if "ascore" in d.value.columns)
    assert gained["domain"].tolist() == ["fresh.io"] and lost["domain"].tolist() == ["gone.net"]
    open_tab(at, "referring_domains", "Authority Score changes")
    changes = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert changes.to_dict("records") == [{"domain": "beans.com", "old_ascore": 40, "new_ascore": 43, "change": 3}]
