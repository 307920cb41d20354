"""Report section on the backlink gap: the best sites to ask for a link, ranked as the Backlink gap page does."""

from __future__ import annotations

import pandas as pd

from lib import snapshots
from lib.analysis import gap as g
from lib.analysis import priority as pr
from lib.analysis.risk import RISKY_SCORE, RiskContext
from lib.countries import home_countries
from lib.report.document import Section
from lib.report.inputs import Inputs
from lib.report.markup import Column, Figure, metrics, number, paragraph, table
from lib.report.overview import missing

GAP_ROWS = 15


def _gap(inputs: Inputs) -> g.Gap | str:
    """The gap from the Backlink Gap export when there is one (as the page prefers), else from the compared
    domains' Referring Domains; a sentence saying what is missing when neither can be built."""
    workspace, root = inputs.workspace, inputs.root
    if not workspace.competitors:
        return "No competitors are set for this workspace, so there is no backlink gap."
    export = snapshots.latest_snapshot(workspace.id, "gap", workspace.own_domain, root)
    try:
        if export is not None:
            return g.gap_from_export(inputs.frame(export), workspace.own_domain, workspace.competitors)
        frames = {d: inputs.frame(snapshots.latest_snapshot(workspace.id, "referring_domains", d, root))
                  for d in workspace.domains}
        return g.gap_from_referring_domains(frames, workspace.own_domain, workspace.competitors)
    except g.GapError as error:
        return f"No backlink gap yet: {error} It needs a Backlink Gap export, or Referring Domains of each domain."


def gap_section(inputs: Inputs) -> Section:
    key, title = "gap", "Top gap opportunities"
    gap = _gap(inputs)
    if isinstance(gap, str):
        return missing(key, title, gap)
    workspace, root = inputs.workspace, inputs.root
    links = [inputs.frame(snapshots.latest_snapshot(workspace.id, "backlinks", d, root)) for d in gap.domains]
    links = [frame for frame in links if frame is not None]
    backlinks = pd.concat(links, ignore_index=True) if links else None
    refs = [inputs.frame(snapshots.latest_snapshot(workspace.id, "referring_domains", d, root)) for d in gap.domains]
    context = RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords,
                          home_countries(workspace.id, root))
    scored = pr.score_gap(gap.frame, len(gap.competitors), context, refs, backlinks,
                          keywords=workspace.target_keywords, brand_terms=workspace.brand_terms,
                          list_facts=gap.list_facts)
    # Prospects only, and none the audit would call risky: a client report recommends no link from those.
    prospects = g.filter_gap(scored.frame, g.GapFilter(("opportunity",), exclude_risky=True))
    ranked = pr.prioritise(prospects, scored.parts, pr.load_weights(workspace.id, root))
    counts = g.category_counts(gap.frame)
    n = len(gap.competitors)
    shown = ranked.head(GAP_ROWS).assign(linked=lambda f: f["competitors_linked"].map(lambda v: f"{int(v)} of {n}"))
    body = (paragraph(f"Sites linking to {', '.join(gap.competitors)} but not to {gap.you}, ranked by priority "
                      "(relevance, how many competitors they link to, the kind of pages, Authority Score, low "
                      f"risk, traffic). Sites with a risk score of {RISKY_SCORE} or more are left out.", "small")
            + metrics([Figure("Opportunities", f"{counts['opportunity']:,}", "link to a competitor, not you"),
                       Figure("Best", f"{counts['best']:,}", "link to every competitor"),
                       Figure("Not risky", f"{len(prospects):,}", "opportunities kept"),
                       Figure("Strong", f"{counts['strong']:,}", "link only to you", "good")]))
    if len(shown):
        body += table(shown, [Column("domain", "Domain", kind="key"), Column("priority", "Priority", number, "num"),
                              Column("domain_ascore", "Authority Score", number, "num"),
                              Column("linked", "Competitors linked", kind="num")],
                      f"The {len(shown)} best opportunities of {len(prospects):,}")
    else:
        body += paragraph("No opportunity left once risky sites are excluded.")
    summary = f"{len(prospects):,} opportunities ({counts['best']:,} linking to every competitor)"
    return Section(key, title, summary, body)

