"""Report sections about the link profile: overview and growth, referring-domain categories, anchors."""

from __future__ import annotations

import pandas as pd

from lib.analysis import anchor_profile as ap
from lib.analysis import overview as ov
from lib.analysis import referring_domains as rd
from lib.analysis.anchors import AnchorContext
from lib.analysis.categories import CATEGORY_LABELS, categorize_domains
from lib.analysis.new_lost import vanished_backlinks
from lib.charts import anchors as anchor_charts
from lib.charts import overview as overview_charts
from lib.charts import referring_domains as rd_charts
from lib.demo import DEMO_SITE_ASCORE
from lib.marks import category_overrides
from lib.report.document import Section
from lib.report.inputs import Inputs
from lib.report.markup import Column, Figure, charts, metrics, number, paragraph, percent, table
from lib.workspaces import get_setting

SITE_ASCORE_SETTING = "site_ascore"  # the {ISO date: score} history the Overview page stores
GROWTH_MONTHS = 12
TOP_ROWS = 10


def missing(key: str, title: str, text: str) -> Section:
    """A section whose data the workspace lacks: one line saying what would fill it."""
    return Section(key, title, text, paragraph(text, "missing"), available=False)


def _change(now: int, before: int | None, inverse: bool = False) -> tuple[str, str]:
    if before is None:
        return "", ""
    if now == before:
        return "no change since last snapshot", ""
    good = (now > before) != inverse
    return f"{now - before:+,} since last snapshot", "good" if good else "bad"


def _site_authority(inputs: Inputs) -> ov.SiteAuthority:
    history = get_setting(inputs.workspace.id, SITE_ASCORE_SETTING, {}, inputs.root) or {}
    if not history and inputs.workspace.is_demo and inputs.backlinks_history:
        # The Overview page gives the demo the same plausible history when it is first opened.
        history = ov.demo_site_ascore([s.data_date for s in inputs.backlinks_history], DEMO_SITE_ASCORE)
    return ov.site_authority(history)


def overview_section(inputs: Inputs) -> Section:
    key, title = "overview", "Overview and growth"
    backlinks = inputs.backlinks
    if backlinks is None and inputs.refdomains is None:
        return missing(key, title, "No Backlinks or Referring Domains export in this workspace yet.")
    authority = _site_authority(inputs)
    ascore_note, ascore_tone = _change(authority.value, authority.previous) if authority.value is not None \
        else ("", "")
    ascore = Figure("Authority Score", str(authority.value) if authority.value is not None else "—",
                    ascore_note or (f"as of {authority.as_of:%d %b %Y}" if authority.as_of else "not set"),
                    ascore_tone)
    if backlinks is None:
        domains = int(inputs.refdomains["domain"].nunique()) if "domain" in inputs.refdomains else len(
            inputs.refdomains)
        body = metrics([Figure("Referring domains", f"{domains:,}"), ascore]) + paragraph(
            "Growth, follow share and new and lost links need a Backlinks export.", "missing")
        return Section(key, title, f"{domains:,} referring domains", body)

    history = inputs.backlinks_history
    data_date = history[-1].data_date
    now = ov.summarize(backlinks, data_date)
    before = ov.summarize(inputs.frame(history[-2]), history[-2].data_date) if len(history) > 1 else None
    cards = [
        Figure("Backlinks", f"{now.backlinks:,}", *_change(now.backlinks, before and before.backlinks)),
        Figure("Referring domains", f"{now.referring_domains:,}",
               *_change(now.referring_domains, before and before.referring_domains)),
        ascore,
        Figure("Follow links", "—" if pd.isna(now.follow_share) else f"{now.follow_share:.0%}", "pass authority"),
        Figure("New · 30 days", f"{now.new_recent:,}", "backlinks first seen"),
        Figure("Lost · 30 days", f"{now.lost_recent:,}", "backlinks lost"),
    ]
    curve = ov.concentration_curve(backlinks, data_date)
    headline = ov.concentration(curve)
    growth = ov.growth_by_month(backlinks, data_date, vanished_backlinks(
        [(s.data_date, inputs.frame(s)) for s in history])).tail(GROWTH_MONTHS)
    body = (metrics(cards)
            + paragraph(f"Data of {data_date:%d %b %Y}"
                        + (f", compared with the snapshot of {history[-2].data_date:%d %b %Y}." if before else "."),
                        "small")
            + f"<h3>Growth over the last {GROWTH_MONTHS} months</h3>"
            + charts([overview_charts.growth(growth, "domains", "Referring domains gained and lost per month")])
            + charts([overview_charts.growth(growth, "backlinks", "Backlinks gained and lost per month")])
            + "<h3>Where the links come from</h3>" + paragraph(headline.sentence()))
    summary = f"{now.backlinks:,} backlinks from {now.referring_domains:,} referring domains"
    return Section(key, title, summary, body)


def categories_section(inputs: Inputs) -> Section:
    key, title = "referring-domains", "Referring domains by category"
    backlinks, refdomains, data_date = inputs.backlinks, inputs.refdomains, inputs.data_date
    if backlinks is None and refdomains is None:
        return missing(key, title, "No Backlinks or Referring Domains export in this workspace yet.")
    workspace = inputs.workspace
    categories = categorize_domains(backlinks, refdomains, workspace.target_keywords,
                                    category_overrides(workspace.id, inputs.root))
    domains = rd.filter_domains(rd.domain_table(backlinks, refdomains, data_date, categories),
                                rd.DomainFilter(include_lost=False))
    counts = rd.category_counts(domains)
    total = int(counts["domains"].sum())
    counts = counts.assign(label=counts["category"].map(CATEGORY_LABELS).fillna(counts["category"]),
                           share=counts["domains"] / total if total else 0.0)
    strongest = domains.assign(label=domains["category"].map(CATEGORY_LABELS).fillna(domains["category"]))
    strongest = strongest.sort_values(["domain_ascore", "backlinks"], ascending=False, na_position="last")
    body = (charts([rd_charts.categories(counts)])
            + table(counts, [Column("label", "Category"), Column("domains", "Domains", number, "num"),
                             Column("share", "Share", percent, "num"),
                             Column("backlinks", "Backlinks", number, "num")], "Domains per category")
            + table(strongest.head(TOP_ROWS), [Column("domain", "Domain", kind="key"),
                                               Column("domain_ascore", "Authority Score", number, "num"),
                                               Column("backlinks", "Backlinks", number, "num"),
                                               Column("label", "Category")],
                    f"The {min(TOP_ROWS, len(strongest))} strongest referring domains"))
    suspicious = int(counts.loc[counts["category"] == "suspicious", "domains"].sum())
    summary = f"{total:,} live referring domains in {len(counts)} categories, {suspicious:,} suspicious"
    return Section(key, title, summary, body)


def anchors_section(inputs: Inputs) -> Section:
    key, title = "anchors", "Anchor text mix"
    workspace = inputs.workspace
    context = AnchorContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords)
    if inputs.backlinks is not None:
        profile = ap.profile_from_backlinks(inputs.backlinks, context, inputs.backlinks_snapshot.data_date)
    elif inputs.anchors_snapshot is not None:
        profile = ap.profile_from_export(inputs.frame(inputs.anchors_snapshot), context)
    else:
        return missing(key, title, "No Backlinks or Anchors export in this workspace yet.")
    limit = float(get_setting(workspace.id, ap.THRESHOLD_SETTING, ap.DEFAULT_THRESHOLD, inputs.root))
    verdict = ap.over_optimisation(profile, limit)
    if not workspace.target_keywords:
        judged = paragraph("No target keywords are set for this workspace, so no anchor counts as a keyword "
                           "anchor and over-optimisation is not judged.", "verdict warn")
    else:
        judged = paragraph(verdict.sentence(), "verdict warn" if verdict.exceeded else "verdict")
    top = profile.anchors.head(TOP_ROWS)
    body = (judged
            + charts([anchor_charts.distribution(profile.distribution, "domains",
                                                 "Anchor types by referring domains"),
                      anchor_charts.distribution(profile.distribution, "backlinks", "Anchor types by backlinks")])
            + table(top.assign(anchor=top["anchor"].where(top["anchor"] != "", "(empty / image)")),
                    [Column("anchor", "Anchor"), Column("label", "Type"),
                     Column("domains", "Referring domains", number, "num"),
                     Column("backlinks", "Backlinks", number, "num")],
                    f"The {len(top)} anchors used by the most sites"))
    state = "over the limit" if verdict.exceeded else "within the limit"
    summary = (f"{len(profile.anchors):,} anchors; keyword anchors {verdict.share:.0%} of sites, {state}"
               if workspace.target_keywords else f"{len(profile.anchors):,} anchors; no target keywords set")
    return Section(key, title, summary, body)

