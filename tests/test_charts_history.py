"""The History page's trend grid: notes in place of empty panels sit in those panels."""

from __future__ import annotations

import pandas as pd

from lib.charts.history import trend_grid


def test_notes_of_empty_panels_are_placed_in_paper_coordinates_inside_their_panels():
    trend = pd.DataFrame({"data_date": pd.to_datetime(["2025-05-02", "2025-06-01"]), "backlinks": [10, 12],
                          "referring_domains": [3, 4]})
    figure = trend_grid(trend, pd.DataFrame(columns=["date", "authority_score"]))
    notes = {a.text: a for a in figure.layout.annotations
             if a.text in ("No site Authority Score recorded yet", "Risk scores are not available")}
    assert set(notes) == {"No site Authority Score recorded yet", "Risk scores are not available"}
    for text, (row, col) in (("No site Authority Score recorded yet", (2, 1)), ("Risk scores are not available", (2, 2))):
        note, panel = notes[text], figure.get_subplot(row, col)
        assert (note.xref, note.yref, note.xanchor, note.yanchor) == ("paper", "paper", "center", "middle")
        assert panel.xaxis.domain[0] < note.x < panel.xaxis.domain[1]
        assert panel.yaxis.domain[0] < note.y < panel.yaxis.domain[1]
        assert panel.xaxis.visible is False and panel.yaxis.visible is False
    # The filled panels keep their axes and both dates.
    assert list(figure.layout.xaxis.tickvals) == list(trend["data_date"])
