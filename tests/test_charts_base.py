"""The chart template, merged once, styles figures exactly as merging plotly_white and linkscope each time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import base


def test_prebuilt_template_equals_the_merge_of_plotly_white_and_linkscope():
    frame = pd.DataFrame({"tld": [".com", ".org"], "domains": [3, 1]})
    fig = base.bar(frame, "tld", "domains", "TLDs")
    merged = go.Figure(fig).update_layout(template="plotly_white+linkscope")
    assert fig.layout.template.to_plotly_json() == merged.layout.template.to_plotly_json()
    assert fig.layout.template.layout.colorway == tuple(base.PALETTE)
    assert fig.layout.template.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.template.layout.font.family.startswith("Inter")  # linkscope's, over plotly_white's
    assert fig.layout.title.text == "TLDs" and fig.layout.height == 360
