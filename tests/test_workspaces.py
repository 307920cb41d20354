import pytest

from lib import workspaces as ws


def test_create_cleans_domains_and_terms(data_dir):
    created = ws.create_workspace("  ", "https://WWW.Example.com/path", ["Rival.com", "rival.com", "example.com"],
                                  ["Example", "example ", "Ex  Co"], ["Coffee Grinder"])
    assert created.own_domain == "example.com"
    assert created.name == "example.com"
    assert created.competitors == ("rival.com",)  # duplicate and own domain dropped
    assert created.brand_terms == ("example", "ex co")
    assert created.target_keywords == ("coffee grinder",)
    assert created.domains == ("example.com", "rival.com")
    assert ws.get_workspace(created.id) == created


def test_ids_are_unique_and_listing_puts_demo_last(data_dir):
    first = ws.create_workspace("Acme", "acme.com")
    second = ws.create_workspace("Acme", "acme.org")
    demo = ws.create_workspace("Demo", "demo.com", is_demo=True, workspace_id="demo")
    assert (first.id, second.id) == ("acme", "acme-2")
    assert [w.id for w in ws.list_workspaces()] == ["acme", "acme-2", "demo"]
    with pytest.raises(ws.WorkspaceError, match="exists already"):
        ws.create_workspace("Demo", "demo.com", workspace_id="demo")
    assert demo.is_demo


@pytest.mark.parametrize("own, competitors, message", [
    ("not a domain", [], "is not a domain name"),
    ("ok.com", ["bad domain"], "Competitor 'bad domain'"),
    ("ok.com", ["a.com", "b.com", "c.com", "d.com", "e.com"], "At most 4 competitors"),
])
def test_invalid_settings_are_refused_with_the_reason(data_dir, own, competitors, message):
    with pytest.raises(ws.WorkspaceError, match=message):
        ws.create_workspace("x", own, competitors)
    assert ws.list_workspaces() == []


def test_update_and_settings_survive_a_new_connection(data_dir):
    created = ws.create_workspace("Acme", "acme.com")
    from dataclasses import replace
    ws.update_workspace(replace(created, competitors=("rival.com",), brand_terms=("acme",)))
    ws.set_setting(created.id, "anchor_threshold", 0.3)
    ws.set_setting(created.id, "anchor_threshold", 0.25)
    assert ws.get_workspace(created.id).competitors == ("rival.com",)
    assert ws.get_setting(created.id, "anchor_threshold") == 0.25
    assert ws.get_setting(created.id, "missing", "default") == "default"


def test_data_dir_comes_from_the_environment(data_dir):
    from lib.db import data_dir as current

    assert current() == data_dir
    ws.create_workspace("Acme", "acme.com")
    assert (data_dir / "linkscope.db").exists()
