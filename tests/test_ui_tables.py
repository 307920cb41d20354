"""ui.tables: column types, links only for http(s) URLs (also when a page asks for links), bounded rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.tables import MAX_ROWS, bounded, column_config

WEB = pd.Series(["https://a.com/x", "http://b.org/"], dtype="str")
HOSTILE = pd.Series(["https://a.com/x", "javascript:alert(1)"], dtype="str")


def kind(config: object) -> str | None:
    return (config.get("type_config") or {}).get("type") if isinstance(config, dict) else None


def test_url_columns_are_links_only_when_every_value_is_http():
    config = column_config(pd.DataFrame({"source_url": WEB, "target_url": HOSTILE}))
    assert kind(config["source_url"]) == "link" and kind(config["target_url"]) == "text"


def test_a_page_asking_for_links_gets_text_where_a_value_is_not_http():
    overrides = {"target_url": st.column_config.LinkColumn("Page", width="large", help="where it pointed"),
                 "source_url": st.column_config.LinkColumn("Linking page")}
    config = column_config(pd.DataFrame({"source_url": WEB, "target_url": HOSTILE}), overrides)
    assert kind(config["source_url"]) == "link" and config["source_url"]["label"] == "Linking page"
    assert kind(config["target_url"]) == "text"
    assert (config["target_url"]["label"], config["target_url"]["width"], config["target_url"]["help"]) == (
        "Page", "large", "where it pointed")


def test_scores_and_dates_get_their_column_types():
    frame = pd.DataFrame({"domain_ascore": pd.array([5], dtype="Int64"), "first_seen": pd.to_datetime(["2026-01-02"])})
    config = column_config(frame)
    assert kind(config["domain_ascore"]) == "progress" and kind(config["first_seen"]) == "date"


def test_bounded_keeps_the_most_important_rows():
    frame = pd.DataFrame({"score": range(MAX_ROWS + 10)})
    shown = bounded(frame, "score")
    assert len(shown) == MAX_ROWS and shown["score"].iloc[0] == MAX_ROWS + 9
    assert shown["score"].min() == 10


def test_a_large_table_sends_the_bounded_rows_and_downloads_all_of_them():
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd
        import streamlit as st

        from ui.tables import MAX_ROWS, data_table

        frame = pd.DataFrame({"domain": [f"d{i}.com" for i in range(MAX_ROWS + 7)], "backlinks": range(MAX_ROWS + 7)})
        frame["risk_score"] = 5
        data_table(frame, key="big", sort_by=["risk_score", "backlinks"], file_stem="big",
                   overrides={"risk_score": st.column_config.ProgressColumn("Risk")})

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == MAX_ROWS
    assert at.dataframe[0].value["backlinks"].iloc[0] == MAX_ROWS + 6
    # The order is named by the headers the user sees, not by column names.
    assert any(f"Showing the first {MAX_ROWS:,} of {MAX_ROWS + 7:,} rows, sorted by Risk, Backlinks." in c.value
               for c in at.caption)
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX"]
