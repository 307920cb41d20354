"""The sidebar in AppTest (switching workspaces across a restart is tested in a real browser)."""

from __future__ import annotations



def test_an_unknown_workspace_in_the_url_falls_back_to_one_that_exists(demo_data_dir, app_test):
    at = app_test()
    at.query_params["ws"] = "deleted-long-ago"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="sidebar_workspace").value == "demo"
    assert at.query_params["ws"] == "demo"
