"""Semrush's Backlink Audit beside Linkscope's own risk score, per referring domain.

Semrush scores links (Toxicity Score 0-100) and calls 60 or more "toxic"; Linkscope calls a domain risky at
lib.analysis.risk.RISKY_SCORE. A domain's Semrush score is the highest of its audited links (one bad link is
what makes Semrush flag a domain), its markers the union of theirs. Only domains both tools scored are compared:
Semrush audits a sample of the profile, and a domain it never saw is no disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.analysis.risk import RISKY_SCORE

SEMRUSH_TOXIC = 60
AGREEMENT = ("both risky", "only Semrush", "only Linkscope", "neither")
AGREEMENT_EXPLAINED = {
    "both risky": "Semrush toxic and Linkscope risky: the first candidates for a closer look.",
    "only Semrush": "Toxic for Semrush, below Linkscope's threshold: check which Semrush markers fired.",
    "only Linkscope": "Risky for Linkscope, not toxic for Semrush: read Linkscope's reasons.",
    "neither": "Neither tool sees a problem.",
}


@dataclass(frozen=True)
class AuditComparison:
    # domain, risk_score, markers, semrush_score, semrush_markers, audited_links, status, agreement
    domains: pd.DataFrame
    agreement: pd.DataFrame  # agreement, domains, share, meaning (the four rows of AGREEMENT, always)
    only_in_audit: int  # audited domains Linkscope has no score for (e.g. an older backlinks snapshot)


def _split_markers(values: pd.Series) -> list[str]:
    found = {part.strip() for value in values.dropna().astype(str) for part in value.split(";") if part.strip()}
    return sorted(found)


def semrush_by_domain(audit: pd.DataFrame) -> pd.DataFrame:
    """One row per audited domain: domain, semrush_score (max of its links), semrush_markers, audited_links,
    status (Semrush's action for the domain, the most common non-empty one)."""
    if audit is None or audit.empty:
        return pd.DataFrame({"domain": pd.array([], dtype="str"), "semrush_score": pd.array([], dtype="Int64"),
                             "semrush_markers": pd.array([], dtype="str"),
                             "audited_links": pd.array([], dtype="Int64"), "status": pd.array([], dtype="str")})
    frame = pd.DataFrame({
        "domain": audit["source_domain"].astype("str"),
        "score": audit["toxicity_score"].astype("Float64"),
        "markers": audit["toxic_markers"].fillna("").astype("str") if "toxic_markers" in audit else "",
        "status": audit["status"].fillna("").astype("str").str.strip().str.lower() if "status" in audit else "",
    })
    frame = frame[frame["domain"] != ""]
    grouped = frame.groupby("domain", sort=True)
    statuses = frame[frame["status"] != ""].groupby("domain")["status"].agg(lambda s: s.value_counts().index[0])
    out = pd.DataFrame({
        "semrush_score": grouped["score"].max().round().astype("Int64"),
        "semrush_markers": grouped["markers"].agg(lambda s: "; ".join(_split_markers(s))).astype("str"),
        "audited_links": grouped.size().astype("Int64"),
    })
    out["status"] = statuses.reindex(out.index).fillna("").astype("str")
    out.index.name = "domain"
    return out.reset_index().astype({"domain": "str"})


def compare_with_semrush(risk: pd.DataFrame, audit: pd.DataFrame, *, toxic_at: int = SEMRUSH_TOXIC,
                         risky_at: int = RISKY_SCORE) -> AuditComparison:
    """Linkscope's domain risk (lib.analysis.risk.domain_risk) against a Semrush Backlink Audit export."""
    semrush = semrush_by_domain(audit)
    merged = semrush.merge(risk[["domain", "risk_score", "markers"]], on="domain", how="left")
    only_in_audit = int(merged["risk_score"].isna().sum())
    both = merged[merged["risk_score"].notna()].copy()
    toxic = both["semrush_score"].fillna(0) >= toxic_at
    risky = both["risk_score"] >= risky_at
    label = pd.Series("neither", index=both.index, dtype="str")
    label[toxic & risky] = "both risky"
    label[toxic & ~risky] = "only Semrush"
    label[~toxic & risky] = "only Linkscope"
    both["agreement"] = label
    both = both[["domain", "risk_score", "markers", "semrush_score", "semrush_markers", "audited_links", "status",
                 "agreement"]]
    both = both.sort_values(["semrush_score", "risk_score", "domain"], ascending=[False, False, True],
                            kind="stable").reset_index(drop=True)
    counts = both["agreement"].value_counts().reindex(list(AGREEMENT), fill_value=0)
    total = int(counts.sum())
    agreement = pd.DataFrame({
        "agreement": pd.array(list(AGREEMENT), dtype="str"),
        "domains": pd.array(counts.to_numpy(), dtype="Int64"),
        "share": [float(c) / total if total else 0.0 for c in counts.to_numpy()],
        "meaning": pd.array([AGREEMENT_EXPLAINED[a] for a in AGREEMENT], dtype="str"),
    })
    return AuditComparison(domains=both, agreement=agreement, only_in_audit=only_in_audit)


# --- Semrush's own actions as decisions, only when the user asks for them --------------------------------

# Semrush's Backlink Audit lists: remove (ask the site), disavow, whitelist (keep). Anything else ("new",
# "deleted", empty) says nothing about what to do.
SEMRUSH_ACTIONS = {"remove": "remove", "disavow": "disavow", "whitelist": "keep"}
SEMRUSH_SOURCE = "semrush audit"


def semrush_decision(status: str) -> str | None:
    """The Linkscope decision for a Semrush action ("Disavow list", "whitelisted", "Remove" ...), else None."""
    text = " ".join(str(status or "").lower().replace("_", " ").split()).replace("white list", "whitelist")
    text = text.removeprefix("move to ").removesuffix(" list").removesuffix("ed")
    return SEMRUSH_ACTIONS.get(text) or SEMRUSH_ACTIONS.get(text + "e")  # "removed" -> "remov" -> "remove"


def semrush_decisions(domains: pd.DataFrame, chosen: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """The chosen domains grouped by the decision their Semrush action maps to, in the order chosen.

    `domains` is AuditComparison.domains (or semrush_by_domain output): domain and status. Chosen domains
    without an action Linkscope can use are left out; the caller writes with overwrite=False, so a decision
    the user already made stays.
    """
    status = domains.drop_duplicates("domain").set_index("domain")["status"]
    grouped: dict[str, list[str]] = {}
    for domain in dict.fromkeys(chosen):
        decision = semrush_decision(status.get(domain, ""))
        if decision:
            grouped.setdefault(decision, []).append(domain)
    return grouped


# --- Broken and lost: links worth reclaiming ---------------------------------------------------------------

RECLAIM_COLUMNS = ["source_url", "why", "authority", "lost_date", "target_url", "anchor", "source_title",
                   "source_domain"]


def broken_candidates(indexed_pages: pd.DataFrame | None) -> pd.DataFrame:
    """Own pages the Indexed Pages export shows answering 4xx / 5xx, most linked first: target_url,
    response_code, backlinks, domains."""
    if indexed_pages is None or indexed_pages.empty or "response_code" not in indexed_pages:
        return pd.DataFrame({"target_url": pd.array([], dtype="str"), "response_code": pd.array([], dtype="Int64"),
                             "backlinks": pd.array([], dtype="Int64"), "domains": pd.array([], dtype="Int64")})
    code = indexed_pages["response_code"].astype("Int64")
    rows = indexed_pages[(code >= 400).fillna(False)]
    columns = [c for c in ("target_url", "response_code", "backlinks", "domains") if c in rows]
    return rows[columns].sort_values(["backlinks", "target_url"], ascending=[False, True],
                                     kind="stable").reset_index(drop=True)


def reclaim_links(links: pd.DataFrame, broken_urls: list[str] | set[str]) -> pd.DataFrame:
    """Backlinks lost, or pointing at a page the user marked broken, strongest first.

    `links` is lib.analysis.new_lost.link_events output (current and vanished links, with `lost`, `lost_date`,
    `authority`). `why` says "lost", "target broken" or "lost, target broken": fix the page (or redirect it),
    or ask the linking site for a new link.
    """
    broken = {str(u).strip() for u in broken_urls}
    # A page marked as https://site.com/a/ also matches links to it without the slash or with another scheme.
    normal = {_page_key(u) for u in broken}
    targets = links["target_url"].fillna("").astype("str")
    to_broken = targets.isin(broken) | targets.map(_page_key).isin(normal) if broken else pd.Series(
        False, index=links.index)
    lost = links["lost"].fillna(False).astype(bool)
    chosen = links[lost | to_broken].copy()
    why = pd.Series("", index=chosen.index, dtype="str")
    why[lost[chosen.index]] = "lost"
    flagged = to_broken[chosen.index]
    why[flagged] = why[flagged].where(why[flagged] == "", why[flagged] + ", ") + "target broken"
    chosen["why"] = why
    chosen = chosen.sort_values(["authority", "lost_date"], ascending=[False, False], na_position="last",
                                kind="stable")
    return chosen[[c for c in RECLAIM_COLUMNS if c in chosen]].reset_index(drop=True)


def _page_key(url: str) -> str:
    text = str(url).strip().lower()
    text = text.split("#")[0]
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = text[4:] if text.startswith("www.") else text
    return text.rstrip("/")
