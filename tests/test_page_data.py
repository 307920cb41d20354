"""AppTests of the app start and the Data & settings page: uploads, the API path, workspaces."""

from __future__ import annotations

import pytest

from lib import snapshots
from lib.workspaces import create_workspace, get_workspace
from tests.conftest import REPO
from tests.test_importer import ROW_A, ROW_B, backlinks_csv
from tools.fake_semrush import DEFAULT_KEY, FakeSemrush, sample_frames


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning] \
        + [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def walk(node):
    """Every node of an AppTest element tree."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def button(at, label: str):
    return next(b for b in at.button if b.label == label or b.label.startswith(label + " ("))


def test_first_start_opens_the_overview_on_the_demo_workspace(demo_data_dir, app_test):
    at = app_test()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.sidebar.selectbox[0].value == "demo"
    assert at.query_params["ws"] == ["demo"] or at.query_params["ws"] == "demo"


def test_first_start_on_an_empty_data_dir_builds_the_demo(data_dir, app_test):
    at = app_test()
    at.run(timeout=120)
    assert not at.exception
    assert get_workspace("demo") is not None
    assert snapshots.list_snapshots("demo", "backlinks")


@pytest.fixture
def acme(demo_data_dir):
    return create_workspace("Acme", "acme.com", ["rival.com"])


def open_data_page(app_test, workspace):
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = workspace.id
    at.run()
    assert not at.exception
    return at


def test_upload_imports_every_file_and_reports_bad_ones(acme, app_test):
    at = open_data_page(app_test, acme)
    # the limit in words, as the uploader's own label rounds it (600 MB shows as "1GB")
    import tomllib

    limit = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert any(f"up to {limit:,} MB each" in m.value for m in at.markdown)
    broken = ROW_B.replace("http://cheap-grinders.xyz/x", "")
    at.file_uploader[0].set_value([
        ("acme.com-backlinks.csv", backlinks_csv(ROW_A, broken), "text/csv"),
        ("notes.csv", b"Name,Email\nBob,bob@example.com\n", "text/csv"),
    ])
    at.run()
    button(at, "Import").click()
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "acme.com-backlinks.csv" in shown and "1 rows could not be used" in shown
    assert any("notes.csv" in e.value and "not a Semrush export" in e.value for e in at.error)
    [snap] = snapshots.list_snapshots(acme.id)
    assert (snap.kind, snap.target_domain, snap.rows) == ("backlinks", "acme.com", 1)


def test_workspace_settings_are_validated_and_saved(acme, app_test):
    at = open_data_page(app_test, acme)
    form_inputs = [t for t in at.text_input if t.label == "Your domain"]
    form_inputs[0].set_value("not a domain")
    button(at, "Save").click()
    at.run()
    assert any("is not a domain name" in e.value for e in at.error)
    assert get_workspace(acme.id).own_domain == "acme.com"


@pytest.fixture
def fake_api(monkeypatch):
    frames = sample_frames(["acme.com", "rival.com"], backlinks=120)
    with FakeSemrush.from_frames(frames) as fake:
        monkeypatch.setenv("SEMRUSH_API_URL", fake.url)
        yield fake


def test_api_fetch_estimates_then_stores_snapshots_and_uses_the_cache(acme, app_test, fake_api, monkeypatch):
    monkeypatch.setenv("SEMRUSH_API_KEY", DEFAULT_KEY)
    at = open_data_page(app_test, acme)
    assert "Estimated cost" in texts(at)
    button(at, "Fetch now").click()
    at.run(timeout=120)
    assert not at.exception, at.exception
    stored = {(s.kind, s.target_domain) for s in snapshots.list_snapshots(acme.id)}
    assert {("backlinks", "acme.com"), ("referring_domains", "acme.com"), ("anchors", "acme.com"),
            ("referring_domains", "rival.com")} <= stored
    assert "fetched now" in texts(at)
    sent = fake_api.request_count

    again = open_data_page(app_test, acme)
    assert "Estimated cost: 0 API units" in texts(again)
    button(again, "Fetch now").click()
    again.run(timeout=120)
    assert not again.exception, again.exception
    assert fake_api.request_count == sent  # every answer came from the disk cache
    assert "from cache" in texts(again)
    assert DEFAULT_KEY not in texts(again)


def test_a_wrong_key_gives_a_clear_message_and_stores_nothing(acme, app_test, fake_api, monkeypatch):
    monkeypatch.setenv("SEMRUSH_API_KEY", "sk-TEST-LEAK-1234567890")
    at = open_data_page(app_test, acme)
    button(at, "Fetch now").click()
    at.run(timeout=120)
    assert not at.exception
    assert any("key" in e.value.lower() for e in at.error)
    assert "sk-TEST-LEAK-1234567890" not in texts(at)
    assert snapshots.list_snapshots(acme.id) == []


def test_a_typed_key_stays_in_the_session(acme, app_test, fake_api):
    at = open_data_page(app_test, acme)
    key_input = next(t for t in at.text_input if t.label == "Semrush API key")
    key_input.set_value(DEFAULT_KEY)
    at.run()
    assert "Estimated cost" in texts(at)
    assert DEFAULT_KEY not in texts(at)


def test_a_key_from_streamlit_secrets_fetches_and_is_never_shown(acme, app_test, fake_api, data_dir):
    secret = "sk-SECRETS-TOML-0987654321"
    fake_api.keys.add(secret)
    at = app_test("pages/data.py")
    at.secrets["SEMRUSH_API_KEY"] = secret
    at.session_state["workspace_id"] = acme.id
    at.run()
    assert not at.exception, at.exception
    assert "Using the API key from Streamlit secrets." in texts(at)
    assert not [t for t in at.text_input if t.label == "Semrush API key"]  # nothing to type, nothing to show
    button(at, "Fetch now").click()
    at.run(timeout=120)
    assert not at.exception and not at.error, [e.value for e in at.error]
    stored = {(s.kind, s.target_domain) for s in snapshots.list_snapshots(acme.id)}
    assert ("backlinks", "acme.com") in stored and ("referring_domains", "rival.com") in stored
    assert fake_api.request_count > 0 and "fetched now" in texts(at)
    # Not on the page (every element's text and value), not in the session, not in any file written.
    page = [str(node.proto) for node in walk(at._tree) if getattr(node, "proto", None) is not None]
    assert page and any("Backlinks of acme.com" in p for p in page)  # the walk does reach the elements
    assert not [p for p in page + [texts(at)] if secret in p]
    held = repr(at.session_state._state)  # every key and value this browser session holds
    assert "workspace_id" in held and secret not in held
    for path in (p for p in data_dir.rglob("*") if p.is_file()):
        assert secret.encode() not in path.read_bytes(), path
