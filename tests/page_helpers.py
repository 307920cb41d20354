"""Small helpers shared by the pages' AppTests."""

from __future__ import annotations


def metrics(at) -> dict[str, str]:
    """The page's metrics, label -> shown value."""
    return {m.label: m.value for m in at.metric}


def open_page(app_test, page: str, workspace_id: str = "demo"):
    """Run `page` on a workspace and check it raised nothing."""
    at = app_test(page)
    at.session_state["workspace_id"] = workspace_id
    at.run()
    assert not at.exception, at.exception
    return at
