"""Presentation mode in AppTest: every page runs, and what a client must not see is not there."""

from __future__ import annotations

import pytest

from lib import logo, marks
from tests.test_logo import image_bytes

PAGES = ["pages/overview.py", "pages/referring_domains.py", "pages/anchors.py", "pages/new_lost.py",
         "pages/history.py", "pages/audit.py", "pages/gap.py", "pages/outreach.py", "pages/workflow.py",
         "pages/report.py", "pages/data.py"]
SECRETS = ("client owes us money", "private-contact@owner.example", "ask for the paid slot", "disavow: shady deal")
DEMO_WORKSPACE_ID = "demo"


def _presenting(app_test, page: str | None):
    # Page AppTests run the page file alone; app.py (sidebar, header) runs only for the default page.
    at = app_test(page)
    at.query_params["present"] = "1"
    at.query_params["ws"] = DEMO_WORKSPACE_ID
    return at.run()


def _labels(at) -> list[str]:
    return [w.label for kind in ("text_input", "text_area", "number_input") for w in getattr(at, kind)]


def _private_notes(root) -> None:
    from lib import decisions, outreach

    marks.set_marks(DEMO_WORKSPACE_ID, ["grindlab.com"], "review", SECRETS[0], root)
    outreach.add_prospects(DEMO_WORKSPACE_ID, ["blog.example"], "manual", root,
                           notes={"blog.example": SECRETS[2]})
    stored = outreach.outreach_list(DEMO_WORKSPACE_ID, root)
    edited = stored.assign(contact=SECRETS[1])
    assert outreach.save_edits(DEMO_WORKSPACE_ID, edited, root).ok
    decisions.set_decisions(DEMO_WORKSPACE_ID, ["pourcraft.co"], "disavow", SECRETS[3], root=root)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_presentation_mode_without_inputs_for_keys_files_or_notes(demo_data_dir, app_test, page):
    _private_notes(demo_data_dir)
    at = _presenting(app_test, page)
    assert not at.exception, at.exception
    assert not [w for w in at.text_input if w.type == "password" or "key" in w.label.lower()]
    assert not any("note" in label.lower() for label in _labels(at))
    assert not at.get("file_uploader")
    assert not [b for b in at.button if "delete" in b.label.lower()]
    shown = str(at) + "".join(c.proto.code_text for c in at.get("code")) + "".join(
        d.value.astype(str).to_csv() for d in at.dataframe)
    assert not [secret for secret in SECRETS if secret in shown]


def test_the_sidebar_shows_the_toggle_on_and_no_other_client(demo_data_dir, app_test):
    at = _presenting(app_test, None)
    assert at.toggle(key="presentation_mode").value is True
    # Only the current client's name: no workspace picker listing other clients.
    assert not [s for s in at.sidebar.selectbox if s.label == "Workspace"]


def test_the_data_page_lists_data_dates_but_not_file_names(demo_data_dir, app_test):
    at = _presenting(app_test, "pages/data.py")
    listing = at.dataframe[0].value
    assert list(listing.columns) == ["Data date", "Kind", "About", "Rows"]
    assert not at.tabs  # import, API, snapshots and settings tabs are not drawn


def test_history_hides_file_names_and_deleting(demo_data_dir, app_test):
    at = _presenting(app_test, "pages/history.py")
    snapshots_table = at.dataframe[-1].value
    assert "file_or_report" not in snapshots_table.columns
    assert not [s for s in at.selectbox if s.label == "Delete a snapshot"]


def test_settings_editors_are_hidden(demo_data_dir, app_test):
    anchors = _presenting(app_test, "pages/anchors.py")
    assert not [t for t in anchors.text_area if "Brand terms" in t.label]
    assert any("Hidden in presentation mode" in c.value or "hidden in presentation mode" in c.value
               for c in anchors.caption)
    overview = _presenting(app_test, "pages/overview.py")
    assert not [n for n in overview.number_input if n.label == "Authority Score"]


def test_private_notes_on_domains_are_not_shown(demo_data_dir, app_test):
    marks.set_marks(DEMO_WORKSPACE_ID, ["grindlab.com"], "review", "client owes us money", demo_data_dir)
    at = _presenting(app_test, "pages/referring_domains.py")
    table = at.dataframe[-1].value
    assert (table["note"] == "").all()
    assert "client owes us money" not in str(at)


def test_the_header_shows_the_workspace_name_and_logo(demo_data_dir, app_test):
    logo.save_logo(DEMO_WORKSPACE_ID, image_bytes(), demo_data_dir)
    at = _presenting(app_test, None)
    assert any(m.value.startswith("## ") and "Demo" in m.value for m in at.markdown)
    assert at.get("image")
