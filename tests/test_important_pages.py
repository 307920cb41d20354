"""Important pages are stored per workspace, row by row, and survive a new connection."""

from __future__ import annotations

import sqlite3

from lib import important_pages
from lib.workspaces import create_workspace, delete_workspace


def test_pages_are_added_removed_and_kept_per_workspace(data_dir):
    acme = create_workspace("Acme", "acme.com")
    other = create_workspace("Other", "other.com")
    important_pages.add_pages(acme.id, ["https://acme.com/shop", " https://acme.com/ ", ""])
    important_pages.add_pages(other.id, ["https://other.com/"])
    important_pages.add_pages(acme.id, ["https://acme.com/shop"])  # again: no duplicate, no error
    assert important_pages.list_pages(acme.id) == ["https://acme.com/", "https://acme.com/shop"]
    important_pages.remove_pages(acme.id, ["https://acme.com/"])
    assert important_pages.list_pages(acme.id) == ["https://acme.com/shop"]
    assert important_pages.list_pages(other.id) == ["https://other.com/"]
    # A fresh connection straight to the file sees the same rows: they are on disk.
    with sqlite3.connect(data_dir / "linkscope.db") as conn:
        rows = conn.execute("SELECT workspace_id, url FROM important_pages ORDER BY workspace_id").fetchall()
    assert rows == [("acme", "https://acme.com/shop"), ("other", "https://other.com/")]


def test_two_tabs_editing_the_list_keep_each_others_changes(data_dir):
    acme = create_workspace("Acme", "acme.com")
    important_pages.add_pages(acme.id, ["https://acme.com/a"])
    # Both tabs loaded ["a"]; tab one adds b, tab two removes a and adds c.
    important_pages.apply_change(acme.id, ["https://acme.com/a"], ["https://acme.com/a", "https://acme.com/b"])
    important_pages.apply_change(acme.id, ["https://acme.com/a"], ["https://acme.com/c"])
    assert important_pages.list_pages(acme.id) == ["https://acme.com/b", "https://acme.com/c"]


def test_deleting_the_workspace_forgets_its_pages(data_dir):
    acme = create_workspace("Acme", "acme.com")
    important_pages.add_pages(acme.id, ["https://acme.com/a"])
    delete_workspace(acme.id)
    assert important_pages.list_pages(acme.id) == []
