"""The Audit page in a real browser on the demo workspace: decide, download the disavow file, two tabs at once."""

from __future__ import annotations

import re

import pytest

from lib import decisions, disavow
from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def app_text(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def open_audit(page, server) -> None:
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, server, "", "ws=demo")
    open_page(page, server, "audit", "ws=demo")
    assert_no_exception(page)


def pick(page, domain: str) -> None:
    """Choose a domain by name in the 'pick domains by name' box."""
    box = page.get_by_placeholder("Type a domain…")
    box.click()
    box.fill(domain)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)


def decide(page, decision: str, note: str, count_label: str = "Save for 1 domain") -> None:
    form = page.locator("[data-testid='stForm']").first
    form.locator("label").filter(has_text=re.compile(f"^{decision}")).first.click()
    form.get_by_label("Note", exact=True).fill(note)
    form.get_by_role("button", name=count_label).click()
    wait_idle(page)


def queue_domains(server, count: int) -> list[str]:
    from lib.analysis.risk import RiskContext, domain_risk
    from lib.snapshots import latest_snapshot, load_frame
    from lib.workspaces import get_workspace

    root = server.data_dir
    workspace = get_workspace("demo", root)
    frames = [load_frame(latest_snapshot("demo", kind, workspace.own_domain, root), root)
              for kind in ("backlinks", "referring_domains")]
    risk = domain_risk(*frames, RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords))
    return risk["domain"].head(count).tolist()


def test_review_a_domain_and_download_the_disavow_file(demo_server, page, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 2200})
    open_audit(page, demo_server)
    text = app_text(page)
    for wanted in ("Audit", "ignores most spammy links on its own", "Review queue", "Semrush comparison",
                   "Disavow file", "Broken and lost", "Risky links reviewed"):
        assert wanted in text, wanted

    # Tick the riskiest domain's box in the queue: the decision form and its backlinks appear.
    table = page.locator("[data-testid='stDataFrame']:visible").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_idle(page)
    assert "1 domain chosen" in app_text(page)
    assert "Their backlinks" in app_text(page)
    decide(page, "Disavow", "paid network, removal refused")
    assert_no_exception(page)
    first = queue_domains(demo_server, 1)[0]
    stored = decisions.decisions_for("demo", demo_server.data_dir).set_index("item")
    assert stored.loc[first, ["decision", "note"]].tolist() == ["disavow", "paid network, removal refused"]
    page.mouse.wheel(0, -5000)
    screenshot(page, "audit")
    page.get_by_text("How the risk score works: markers and weights").click()
    wait_idle(page)
    expander = page.locator("[data-testid='stExpander']").filter(has_text="How the risk score works")
    expander.locator("[data-testid='stDataFrame']").wait_for(state="visible")
    expander.locator("[data-testid='stPlotlyChart']").wait_for(state="visible")
    screenshot(page, "audit_weights")

    page.get_by_role("tab", name="Disavow file").click()
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download disavow file").click()
    saved = tmp_path / "disavow.txt"
    download_info.value.save_as(saved)
    parsed = disavow.parse_disavow(saved.read_bytes())
    disavowed = decisions.decisions_for("demo", demo_server.data_dir)
    disavowed = disavowed[(disavowed["decision"] == "disavow") & (disavowed["scope"] == "domain")]
    assert parsed.problems == [] and sorted(parsed.domains) == sorted(disavowed["item"])
    assert first in parsed.domains
    screenshot(page, "audit_disavow")

    page.get_by_role("tab", name="Semrush comparison").click()
    wait_idle(page)
    assert "scored by both" in app_text(page) and "only Linkscope" in app_text(page)
    screenshot(page, "audit_semrush")
    page.get_by_role("tab", name="Broken and lost").click()
    wait_idle(page)
    assert "Links to reclaim" in app_text(page)
    assert_no_exception(page)
    screenshot(page, "audit_broken_lost")


def test_two_tabs_each_save_a_decision_and_both_survive(demo_server, browser):
    one_domain, other_domain = queue_domains(demo_server, 4)[2:4]
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    try:
        first, second = context.new_page(), context.new_page()
        for tab in (first, second):
            tab.set_default_timeout(60_000)
            open_audit(tab, demo_server)
        # Both tabs have the page open with the same (old) state before either saves.
        pick(first, one_domain)
        pick(second, other_domain)
        decide(first, "Keep", "tab one: a real blog")
        decide(second, "Remove", "tab two: asked the owner")
        for tab in (first, second):
            assert_no_exception(tab)
        stored = decisions.decisions_for("demo", demo_server.data_dir).set_index("item")
        assert stored.loc[one_domain, ["decision", "note"]].tolist() == ["keep", "tab one: a real blog"]
        assert stored.loc[other_domain, ["decision", "note"]].tolist() == ["remove", "tab two: asked the owner"]
        # A reload of the first tab shows the second tab's decision too.
        first.reload()
        wait_idle(first)
        pick(first, other_domain)
        assert "tab two: asked the owner" in first.locator("[data-testid='stForm']").first.get_by_label(
            "Note", exact=True).input_value()
    finally:
        context.close()


def test_semrush_actions_become_decisions_after_confirmation(demo_server, page):
    from lib.analysis import audit_compare
    from lib.snapshots import latest_snapshot, load_frame

    root = demo_server.data_dir
    audit = load_frame(latest_snapshot("demo", "audit", None, root), root)
    by_domain = audit_compare.semrush_by_domain(audit)
    whitelisted = by_domain.loc[by_domain["status"] == "whitelist", "domain"].tolist()
    open_audit(page, demo_server)
    page.get_by_role("tab", name="Semrush comparison").click()
    wait_idle(page)
    for domain in whitelisted[:2]:
        # By its label: the placeholder is gone once a domain is chosen.
        box = page.get_by_role("combobox", name="Tick rows above, or pick audited domains with a Semrush action")
        box.click()
        box.fill(domain)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        wait_idle(page)
    assert "2 domains chosen: 2 → Keep." in app_text(page)
    page.get_by_role("button", name="Use Semrush's actions for 2 domains…").click()
    wait_idle(page)
    assert "disavow only what you checked yourself" in app_text(page)
    screenshot(page, "audit_semrush_actions")
    page.get_by_role("button", name="Yes, use them").click()
    wait_idle(page)
    assert_no_exception(page)
    stored = decisions.decisions_for("demo", root).set_index("item")
    mine = stored.reindex(whitelisted[:2])  # the server is shared with the other tests here, so are its decisions
    assert mine["decision"].tolist() == ["keep", "keep"] and set(mine["source"]) == {"semrush audit"}
