"""From bytes to snapshots: what a user's upload does to a workspace."""

from datetime import date

import pandas as pd
import pytest

from lib import importer, snapshots
from lib.workspaces import create_workspace

BACKLINKS_HEADER = ("Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,"
                    "Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link\n")


def backlinks_csv(*rows: str) -> bytes:
    return (BACKLINKS_HEADER + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


ROW_A = "30,Coffee blog,https://blog.beans.com/post,https://acme.com/,Acme,3,10,false,false,false,true,false,false,false,false,2024-01-10,2024-04-30,false,false"
ROW_B = "5,Spam,http://cheap-grinders.xyz/x,https://acme.com/shop,buy grinder,300,1,false,false,false,true,false,false,false,true,2024-04-01,2024-04-29,true,false"


@pytest.fixture
def workspace(data_dir):
    return create_workspace("Acme", "acme.com", ["rival.com"])


def test_backlinks_upload_becomes_a_snapshot_about_its_target(workspace, data_dir):
    [outcome] = importer.import_bytes(workspace, backlinks_csv(ROW_A, ROW_B), "export.csv")
    assert outcome.ok and outcome.kind == "backlinks" and outcome.rows == 2
    snap = outcome.snapshot
    assert (snap.target_domain, snap.data_date, snap.source) == ("acme.com", date(2024, 4, 30), "upload")
    frame = importer.current_frame(workspace, "backlinks")
    assert sorted(frame["source_domain"]) == ["beans.com", "cheap-grinders.xyz"]


def test_the_same_file_twice_is_recognised_and_not_stored_again(workspace):
    data = backlinks_csv(ROW_A)
    importer.import_bytes(workspace, data, "export.csv")
    [again] = importer.import_bytes(workspace, data, "export.csv")
    assert again.duplicate_of is not None and again.snapshot is None
    assert len(snapshots.list_snapshots(workspace.id)) == 1


def test_target_of_a_referring_domains_export_comes_from_the_file_name(workspace):
    data = b"Domain ascore,Domain,Backlinks,IP,Country,First seen,Last seen\n40,beans.com,3,1.2.3.4,US,2024-01-01,2024-03-01\n"
    [outcome] = importer.import_bytes(workspace, data, "rival.com-backlinks_refdomains.csv")
    assert outcome.snapshot.target_domain == "rival.com"
    [forced] = importer.import_bytes(workspace, data, "refdomains-copy.csv", target_domain="acme.com")
    assert forced.snapshot.target_domain == "acme.com"


def test_a_bad_file_changes_nothing_and_says_why(workspace):
    importer.import_bytes(workspace, backlinks_csv(ROW_A), "good.csv")
    before = snapshots.list_snapshots(workspace.id)
    [outcome] = importer.import_bytes(workspace, b"Name,Email\nBob,bob@example.com\n", "contacts.csv")
    assert not outcome.ok
    assert "contacts.csv" in outcome.error
    assert snapshots.list_snapshots(workspace.id) == before


def test_rejected_rows_are_reported_and_the_rest_kept(workspace):
    broken = ROW_B.replace("http://cheap-grinders.xyz/x", "")
    [outcome] = importer.import_bytes(workspace, backlinks_csv(ROW_A, broken), "export.csv")
    assert outcome.rows == 1
    assert outcome.problems.rejected_total == 1
    assert outcome.problems.rejected[0].line == 3
    assert outcome.snapshot.rejected == 1


def test_an_older_export_takes_its_place_in_the_timeline(workspace):
    newer = backlinks_csv(ROW_A)
    older = backlinks_csv(ROW_B.replace("2024-04-29", "2024-02-01").replace("2024-04-01", "2024-01-15"))
    importer.import_bytes(workspace, newer, "acme.com-backlinks.csv")
    importer.import_bytes(workspace, older, "acme.com-backlinks-old.csv")
    dates = [s.data_date for s in snapshots.list_snapshots(workspace.id, "backlinks")]
    assert dates == [date(2024, 2, 1), date(2024, 4, 30)]
    assert importer.current_frame(workspace, "backlinks")["source_domain"].tolist() == ["beans.com"]


def _backlinks_to(*targets: str) -> bytes:
    rows = [ROW_A.replace("https://acme.com/,", f"{t},") for t in targets]
    return backlinks_csv(*rows)


@pytest.mark.parametrize(("targets", "expected"), [
    # the domain of most rows wins, though no single host of it has the most
    (("https://acme.com/", "https://acme.com/x", "https://a.rival.com/", "https://b.rival.com/", "https://rival.com/"),
     "rival.com"),
    # www. is not a host of its own: acme.com and rival.com tie 2-2, and the first to appear wins
    (("https://shop.rival.com/a", "https://acme.com/", "https://rival.com/b", "https://www.acme.com/"), "rival.com"),
    # a tie goes to the domain whose rows come first
    (("https://rival.com/", "https://acme.com/", "https://acme.com/x", "https://blog.rival.com/"), "rival.com"),
    (("https://acme.com/", "https://rival.com/", "https://acme.com/x", "https://blog.rival.com/"), "acme.com"),
    # rows without a host count for nothing
    (("mailto:x@y.z", "mailto:q@r.s", "https://acme.co.uk/"), "acme.co.uk"),
])
def test_the_target_is_the_registrable_domain_most_rows_point_at(workspace, targets, expected):
    from lib.domains import registrable_domain
    from lib.readers import read_export

    [table] = read_export(_backlinks_to(*targets), "export.csv")
    assert importer.infer_target(workspace, table) == expected
    hosts = [h for h in table.normalized.frame["target_host"] if h]
    plain = pd.Series([registrable_domain(h) for h in hosts]).value_counts()  # each row's domain counted
    assert plain.index[0] == expected
