"""Report sections on the work done: the link audit with its disavow count, and the outreach tracker.

Notes the user wrote (on review decisions, in the disavow file's comments, on prospects) and prospects'
contact details are private working material: these sections count and list without them.
"""

from __future__ import annotations

import pandas as pd

from lib import decisions, disavow, outreach
from lib.analysis.risk import MARKERS, RISKY_SCORE, RiskContext, domain_risk
from lib.charts import audit as audit_charts
from lib.charts.base import PALETTE, bar
from lib.countries import home_countries
from lib.report.document import Section
from lib.report.inputs import Inputs
from lib.report.markup import Column, Figure, charts, day, metrics, number, paragraph, table
from lib.report.overview import TOP_ROWS, missing

STATUS_COLORS = {"new": PALETTE[8], "to contact": PALETTE[5], "contacted": PALETTE[0], "replied": PALETTE[4],
                 "won": PALETTE[2], "declined": PALETTE[3]}


def audit_section(inputs: Inputs) -> Section:
    key, title = "audit", "Link audit"
    if inputs.backlinks is None and inputs.refdomains is None:
        return missing(key, title, "No Backlinks or Referring Domains export in this workspace yet: the audit "
                                   "scores the sites linking to you.")
    workspace = inputs.workspace
    risk = domain_risk(inputs.backlinks, inputs.refdomains,
                       RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords,
                                   home_countries(workspace.id, inputs.root)))
    decided = decisions.decisions_for(workspace.id, inputs.root)
    queue = decisions.review_queue(risk, decided, inputs.backlinks)
    progress = decisions.review_progress(queue, decided, inputs.backlinks)
    entries, disavow_note = _disavow_entries(decided, inputs)
    risky = queue[queue["risk_score"].fillna(0) >= RISKY_SCORE]
    labels = decisions.DECISION_LABELS
    shown = risky.head(TOP_ROWS).assign(decision=lambda f: f["decision"].map(labels).fillna(f["decision"]),
                                        markers=lambda f: f["markers"].map(_marker_names))
    body = (metrics([Figure("Domains scored", f"{progress.domains:,}"),
                     Figure("Risky domains", f"{progress.risky_domains:,}", f"risk score {RISKY_SCORE}+",
                            "bad" if progress.risky_domains else ""),
                     Figure("Domains reviewed", f"{progress.decided:,}", f"of {progress.domains:,}"),
                     Figure("Risky links reviewed", f"{progress.risky_links_share:.0%}",
                            f"{progress.risky_links_reviewed:,} of {progress.risky_links:,} backlinks"),
                     Figure("Disavow file", f"{entries:,}", disavow_note)])
            + paragraph("Google ignores most spammy links by itself. A high risk score is a reason to look at a "
                        "site, not a verdict; disavowing is kept for clearly manipulative links that could not "
                        "be removed.", "small")
            + charts([audit_charts.risk_bands(queue)]))
    if len(shown):
        body += table(shown, [Column("domain", "Domain", kind="key"),
                              Column("risk_score", "Risk score", number, "num"), Column("markers", "Why"),
                              Column("backlinks", "Backlinks", number, "num"),
                              Column("decision", "Decision", kind="key")],
                      f"The riskiest domains: {len(shown)} of {len(risky):,} at risk score {RISKY_SCORE}+")
        body += _legend(risky.head(TOP_ROWS)["markers"])
    else:
        body += paragraph(f"No referring domain scores {RISKY_SCORE} or more.")
    summary = (f"{progress.risky_domains:,} risky domains, {progress.decided:,} of {progress.domains:,} reviewed, "
               f"{entries:,} disavow entries")
    return Section(key, title, summary, body)


def _marker_names(markers: object) -> str:
    return ", ".join(name.strip().replace("_", " ") for name in str(markers).split(";") if name.strip())


def _legend(markers: pd.Series) -> str:
    """What each marker in the table means, from the risk model's own explanations."""
    used = dict.fromkeys(name.strip() for text in markers for name in str(text).split(";") if name.strip())
    lines = [f"{name.replace('_', ' ')}: {MARKERS[name].explanation}" for name in used if name in MARKERS]
    return paragraph(" · ".join(lines), "small") if lines else ""


def _disavow_entries(decided: pd.DataFrame, inputs: Inputs) -> tuple[int, str]:
    """How many entries the disavow file holds (URLs on a disavowed domain are folded into its line)."""
    try:
        lines = disavow.disavow_lines(decided, inputs.today)
    except disavow.DisavowError:
        return int((decided["decision"] == "disavow").sum()) if len(decided) else 0, "over Google's limits"
    entries = [line for line in lines if line and not line.startswith("#")]
    domains = sum(line.startswith("domain:") for line in entries)
    return len(entries), f"{domains:,} domains, {len(entries) - domains:,} URLs"


def outreach_section(inputs: Inputs) -> Section:
    key, title = "outreach", "Outreach status"
    prospects = outreach.outreach_list(inputs.workspace.id, inputs.root)
    if prospects.empty:
        return missing(key, title, "No prospects in the outreach tracker yet.")
    counts = outreach.status_counts(prospects)
    frame = pd.DataFrame({"status": list(counts), "prospects": list(counts.values())})
    frame["label"] = frame["status"].map(outreach.STATUS_LABELS)
    fig = bar(frame, "label", "prospects", "Prospects by status", height=280,
              hover="%{x}: %{y:,} prospects<extra></extra>")
    fig.update_traces(marker_color=[STATUS_COLORS.get(s, PALETTE[0]) for s in frame["status"]])
    fig.update_yaxes(tickformat=",d", dtick=max(1, -(-int(frame["prospects"].max()) // 5)), rangemode="tozero")
    labelled = prospects.assign(status=prospects["status"].map(outreach.STATUS_LABELS).fillna(prospects["status"]))
    won = labelled[prospects["status"] == "won"]
    due = outreach.due(prospects, inputs.today)
    body = (metrics([Figure("Prospects", f"{len(prospects):,}"), Figure("Contacted", f"{counts['contacted']:,}"),
                     Figure("Replied", f"{counts['replied']:,}"),
                     Figure("Links won", f"{counts['won']:,}", tone="good" if counts["won"] else ""),
                     Figure("Follow-ups due", f"{len(due):,}", "within 7 days")])
            + charts([fig]))
    columns = [Column("domain", "Domain", kind="key"), Column("status", "Status"), Column("source", "Found in"),
               Column("last_contact", "Last contact", day, "date")]
    if len(won):
        body += table(won.head(TOP_ROWS), columns, f"Links won: {len(won):,}")
    if len(due):
        body += table(labelled.loc[due.index].head(TOP_ROWS),
                      [*columns, Column("next_follow_up", "Next follow-up", day, "date")],
                      f"Next follow-ups: {len(due):,}")
    summary = f"{len(prospects):,} prospects, {counts['won']:,} won, {len(due):,} follow-ups due"
    return Section(key, title, summary, body)
