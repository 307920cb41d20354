"""Audit charts: how Semrush's toxicity verdicts and Linkscope's risk agree, and where the risk scores fall."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts.base import BAD, GOOD, NEUTRAL, WARN, bar, styled

AGREEMENT_COLORS = {"both risky": BAD, "only Semrush": WARN, "only Linkscope": WARN, "neither": GOOD}
BANDS = ((0, 24, "0-24"), (25, 49, "25-49"), (50, 74, "50-74"), (75, 100, "75-100"))


def agreement(table: pd.DataFrame) -> go.Figure:
    """Domains per agreement row (lib.analysis.audit_compare.AuditComparison.agreement), horizontal bars."""
    fig = bar(table, "agreement", "domains", "Semrush vs Linkscope, domains both scored", horizontal=True,
              height=260, hover="%{y}: %{x:,} domains<extra></extra>")
    fig.update_traces(marker_color=[AGREEMENT_COLORS.get(a, NEUTRAL) for a in table["agreement"].iloc[::-1]])
    return fig


def risk_bands(queue: pd.DataFrame) -> go.Figure:
    """Referring domains per risk band, coloured by how many are still undecided."""
    scores = queue["risk_score"].fillna(0).astype("int64")
    undecided = queue["decision"] == "undecided"
    labels, open_, done = [], [], []
    for low, high, label in BANDS:
        band = (scores >= low) & (scores <= high)
        labels.append(label)
        open_.append(int((band & undecided).sum()))
        done.append(int((band & ~undecided).sum()))
    fig = go.Figure([
        go.Bar(x=labels, y=done, name="decided", marker_color=GOOD,
               hovertemplate="risk %{x}: %{y:,} decided<extra></extra>"),
        go.Bar(x=labels, y=open_, name="undecided", marker_color=NEUTRAL,
               hovertemplate="risk %{x}: %{y:,} undecided<extra></extra>"),
    ])
    fig.update_layout(barmode="stack")
    # Most domains score low: a count over each band keeps the few risky ones readable next to a tall first bar.
    for label, total in zip(labels, (o + d for o, d in zip(open_, done))):
        fig.add_annotation(x=label, y=total, text=f"{total:,}", showarrow=False, yshift=10)
    fig.update_xaxes(title_text="risk score")
    fig.update_yaxes(title_text="domains")
    return styled(fig, "Referring domains by risk score", height=260)
