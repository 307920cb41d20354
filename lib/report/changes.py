"""Report section on links won and lost, with the important lost links listed."""

from __future__ import annotations

import pandas as pd

from lib import important_pages
from lib.analysis import new_lost
from lib.charts import new_lost as new_lost_charts
from lib.report.document import Section
from lib.report.inputs import Inputs
from lib.report.markup import Column, Figure, charts, day, metrics, number, paragraph, path_cell, table, url_cell
from lib.report.overview import missing
from lib.workspaces import get_setting

STRONG_SETTING, DEFAULT_STRONG = "new_lost_strong_ascore", 40  # as the New & lost page stores it
RANGE_DAYS = 91  # the last three months, widened to whole months
LOST_ROWS = 15

LOST_COLUMNS = [Column("source_domain", "Domain", kind="key"), Column("authority", "Authority Score", number, "num"),
                Column("source_url", "Linking page", url_cell), Column("target_url", "Pointed to", path_cell),
                Column("lost_date", "Lost on", day, "date")]


def new_lost_section(inputs: Inputs) -> Section:
    key, title = "new-lost", "New and lost links"
    history = inputs.backlinks_history
    if not history:
        return missing(key, title, "No Backlinks export in this workspace yet: new and lost links come from it.")
    last_day = history[-1].data_date
    vanished = new_lost.vanished_backlinks([(s.data_date, inputs.frame(s)) for s in history])
    links = new_lost.link_events(inputs.backlinks, vanished, inputs.refdomains, last_day)
    threshold = int(get_setting(inputs.workspace.id, STRONG_SETTING, DEFAULT_STRONG, inputs.root))
    start, end = new_lost.range_ending(last_day, RANGE_DAYS, "month")
    result = new_lost.new_lost_report(links, start, end, "month", threshold)
    lost = result.lost_links
    body = (paragraph(f"From {start:%d %b %Y} to {end:%d %b %Y}. A strong domain has an Authority Score of "
                      f"{threshold} or more.", "small")
            + metrics([Figure("New backlinks", f"{len(result.new_links):,}"),
                       Figure("Lost backlinks", f"{len(lost):,}"),
                       Figure("New referring domains", f"{len(result.new_domains):,}"),
                       Figure("Lost referring domains", f"{len(result.lost_domains):,}"),
                       Figure("Strong links lost", f"{result.strong_lost:,}", tone="bad" if result.strong_lost
                              else "")])
            + charts([new_lost_charts.new_lost_timeline(result.timeline, "domains", "month"),
                      new_lost_charts.new_lost_timeline(result.timeline, "backlinks", "month")])
            + _important_losses(inputs, lost, threshold))
    summary = (f"{len(result.new_links):,} new and {len(lost):,} lost backlinks since {start:%d %b %Y}, "
               f"{result.strong_lost:,} from strong domains")
    return Section(key, title, summary, body)


def _important_losses(inputs: Inputs, lost: pd.DataFrame, threshold: int) -> str:
    """The lost links that matter: those to the pages the user marked important, then the strongest."""
    parts = []
    pages = important_pages.list_pages(inputs.workspace.id, inputs.root)
    if pages:
        hits = new_lost.losses_on_pages(lost, pages)
        parts.append(table(hits.head(LOST_ROWS), LOST_COLUMNS,
                           f"Lost links to the {len(pages)} important pages: {len(hits):,}")
                     if len(hits) else paragraph(f"None of the {len(pages)} important pages lost a link."))
    strong = lost[lost["strong"]] if len(lost) else lost
    if len(strong):
        shown = min(LOST_ROWS, len(strong))
        parts.append(table(strong.head(LOST_ROWS), LOST_COLUMNS,
                           f"Lost links from strong domains (Authority Score {threshold}+): "
                           + (f"the {shown} strongest of {len(strong):,}" if len(strong) > shown
                              else f"{len(strong):,}")))
    elif len(lost):
        parts.append(paragraph("No lost link came from a strong domain."))
    else:
        parts.append(paragraph("No backlinks were lost in this period."))
    return "<h3>Important lost links</h3>" + "".join(parts)
