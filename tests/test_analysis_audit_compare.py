"""Semrush Backlink Audit beside Linkscope's risk: per-domain aggregation and the agreement table, exact counts."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.analysis.audit_compare import (AGREEMENT, SEMRUSH_SOURCE, compare_with_semrush, semrush_by_domain,
                                        semrush_decision, semrush_decisions)
from lib.analysis.risk import RISKY_SCORE


def audit(*rows: tuple) -> pd.DataFrame:
    """Rows of (source_domain, toxicity_score, toxic_markers, status)."""
    return pd.DataFrame({
        "source_domain": pd.array([r[0] for r in rows], dtype="str"),
        "source_url": [f"https://{r[0]}/p{i}" for i, r in enumerate(rows)],
        "toxicity_score": pd.array([r[1] for r in rows], dtype="Int64"),
        "toxic_markers": pd.array([r[2] for r in rows], dtype="str"),
        "status": pd.array([r[3] for r in rows], dtype="str"),
    })


def risk(*rows: tuple) -> pd.DataFrame:
    """Rows of (domain, risk_score)."""
    return pd.DataFrame({"domain": pd.array([r[0] for r in rows], dtype="str"),
                         "risk_score": pd.array([r[1] for r in rows], dtype="Int64"),
                         "markers": pd.array(["spam_tld" if r[1] else "" for r in rows], dtype="str"),
                         "reasons": "", "backlinks": pd.array([1] * len(rows), dtype="Int64")})


AUDIT = audit(
    ("net1.xyz", 90, "Link network; Spammy TLD", "disavow"),
    ("net1.xyz", 40, "Sitewide link", "disavow"),
    ("net2.xyz", 60, "Link network", ""),          # exactly at Semrush's threshold: toxic
    ("blogspot-fan.com", 75, "Low Authority Score", "whitelist"),
    ("edge.com", 59, "", ""),                      # just below Semrush's threshold
    ("quiet.com", 10, "", ""),
    ("quiet.com", 20, "", "whitelist"),
    ("only-audit.com", 80, "Money anchor", "remove"),  # Linkscope has no score: not compared
)
RISK = risk(("net1.xyz", 75), ("net2.xyz", RISKY_SCORE), ("blogspot-fan.com", 0), ("edge.com", RISKY_SCORE),
            ("quiet.com", RISKY_SCORE - 1), ("not-audited.com", 90))


def test_semrush_per_domain_takes_the_worst_link_and_all_markers():
    table = semrush_by_domain(AUDIT).set_index("domain")
    assert table.loc["net1.xyz"].tolist() == [90, "Link network; Sitewide link; Spammy TLD", 2, "disavow"]
    assert table.loc["quiet.com", ["semrush_score", "audited_links", "status"]].tolist() == [20, 2, "whitelist"]
    assert table.loc["edge.com", ["semrush_markers", "status"]].tolist() == ["", ""]
    assert len(table) == 6


def test_agreement_table_exact_counts_and_thresholds():
    result = compare_with_semrush(RISK, AUDIT)
    assert result.agreement["agreement"].tolist() == list(AGREEMENT)
    assert dict(zip(result.agreement["agreement"], result.agreement["domains"])) == {
        "both risky": 2,        # net1 (90 / 75) and net2 (60 / 50): both at or above the thresholds
        "only Semrush": 1,      # blogspot-fan.com
        "only Linkscope": 1,    # edge.com: Semrush 59 is not toxic
        "neither": 1,           # quiet.com: Linkscope one point below risky
    }
    assert result.agreement["share"].tolist() == [0.4, 0.2, 0.2, 0.2]
    assert result.only_in_audit == 1
    labels = result.domains.set_index("domain")["agreement"].to_dict()
    assert labels == {"net1.xyz": "both risky", "net2.xyz": "both risky", "blogspot-fan.com": "only Semrush",
                      "edge.com": "only Linkscope", "quiet.com": "neither"}
    assert "not-audited.com" not in labels and "only-audit.com" not in labels
    assert result.domains["domain"].tolist()[0] == "net1.xyz"  # most toxic first


def test_thresholds_can_be_moved():
    result = compare_with_semrush(RISK, AUDIT, toxic_at=50, risky_at=80)
    counts = dict(zip(result.agreement["agreement"], result.agreement["domains"]))
    assert counts == {"both risky": 0, "only Semrush": 4, "only Linkscope": 0, "neither": 1}


def test_empty_audit_gives_four_zero_rows():
    result = compare_with_semrush(RISK, audit())
    assert result.domains.empty and result.only_in_audit == 0
    assert result.agreement["domains"].tolist() == [0, 0, 0, 0]
    assert result.agreement["share"].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_demo_audit_is_compared(demo_data_dir):
    from lib.analysis.risk import RiskContext, domain_risk
    from lib.snapshots import latest_snapshot, load_frame
    from lib.workspaces import list_workspaces

    workspace = list_workspaces(demo_data_dir)[0]
    frames = {kind: load_frame(latest_snapshot(workspace.id, kind, workspace.own_domain, demo_data_dir),
                               demo_data_dir) for kind in ("backlinks", "referring_domains", "audit")}
    scores = domain_risk(frames["backlinks"], frames["referring_domains"],
                         RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords))
    result = compare_with_semrush(scores, frames["audit"])
    audited = frames["audit"]["source_domain"].nunique()
    assert int(result.agreement["domains"].sum()) + result.only_in_audit == audited
    assert int(result.agreement.set_index("agreement").loc["both risky", "domains"]) > 0


def test_broken_candidates_are_4xx_and_5xx_pages_most_linked_first():
    from lib.analysis.audit_compare import broken_candidates

    pages = pd.DataFrame({"target_url": ["https://s.com/", "https://s.com/gone", "https://s.com/moved",
                                         "https://s.com/error", "https://s.com/unknown"],
                          "response_code": pd.array([200, 404, 301, 500, None], dtype="Int64"),
                          "backlinks": pd.array([90, 3, 8, 7, 1], dtype="Int64"),
                          "domains": pd.array([20, 2, 3, 4, 1], dtype="Int64")})
    found = broken_candidates(pages)
    assert found[["target_url", "response_code", "backlinks"]].values.tolist() == [
        ["https://s.com/error", 500, 7], ["https://s.com/gone", 404, 3]]
    assert broken_candidates(None).empty


def test_reclaim_lists_lost_links_and_links_to_broken_pages():
    from lib.analysis.audit_compare import reclaim_links

    links = pd.DataFrame({
        "source_url": ["https://a.com/1", "https://b.com/1", "https://c.com/1", "https://d.com/1", "https://e.com/1"],
        "target_url": ["https://s.com/", "https://s.com/gone/", "http://www.s.com/gone", "https://s.com/ok",
                       "https://s.com/gone"],
        "source_domain": ["a.com", "b.com", "c.com", "d.com", "e.com"],
        "anchor": ["s", "old page", "gone", "ok", "x"],
        "lost": [True, False, True, False, False],
        "lost_date": pd.to_datetime(["2024-04-01", None, "2024-03-01", None, None]),
        "authority": pd.array([30, 80, 10, 90, None], dtype="Int64"),
    })
    found = reclaim_links(links, ["https://s.com/gone"])
    assert found[["source_url", "why"]].values.tolist() == [
        ["https://b.com/1", "target broken"], ["https://a.com/1", "lost"],
        ["https://c.com/1", "lost, target broken"], ["https://e.com/1", "target broken"]]
    only_lost = reclaim_links(links, [])
    assert only_lost["source_url"].tolist() == ["https://a.com/1", "https://c.com/1"]
    assert set(only_lost["why"]) == {"lost"}


def test_charts_show_the_agreement_and_the_risk_bands():
    from lib.charts import audit as charts

    result = compare_with_semrush(RISK, AUDIT)
    fig = charts.agreement(result.agreement)
    bar = fig.data[0]
    assert list(bar.y) == list(AGREEMENT)[::-1] and list(bar.x) == [1, 1, 1, 2]  # largest at the top
    assert list(bar.marker.color)[-1] == charts.AGREEMENT_COLORS["both risky"]
    queue = RISK.assign(decision=["disavow", "undecided", "keep", "undecided", "undecided", "undecided"])
    bands = charts.risk_bands(queue)
    decided, undecided = bands.data
    assert list(decided.x) == ["0-24", "25-49", "50-74", "75-100"]
    assert list(decided.y) == [1, 0, 0, 1] and list(undecided.y) == [0, 1, 2, 1]
    assert [a.text for a in bands.layout.annotations] == ["1", "1", "2", "2"]


@pytest.mark.parametrize("status, decision", [
    ("remove", "remove"), ("Remove list", "remove"), ("disavow", "disavow"), ("Move to Disavow list", "disavow"),
    ("whitelist", "keep"), ("Whitelisted", "keep"), ("White list", "keep"), ("new", None), ("", None),
    ("deleted", None), ("keep", None),
])
def test_semrush_actions_map_to_decisions(status, decision):
    assert semrush_decision(status) == decision


def test_chosen_domains_grouped_by_their_semrush_action():
    domains = compare_with_semrush(RISK, AUDIT).domains  # net1 disavow, blogspot-fan whitelist, quiet whitelist
    chosen = ["quiet.com", "net1.xyz", "edge.com", "blogspot-fan.com", "net1.xyz", "unknown.com"]
    assert semrush_decisions(domains, chosen) == {"keep": ["quiet.com", "blogspot-fan.com"],
                                                  "disavow": ["net1.xyz"]}
    assert semrush_decisions(semrush_by_domain(AUDIT), ["only-audit.com"]) == {"remove": ["only-audit.com"]}
    assert semrush_decisions(domains, []) == {}


def test_applied_semrush_actions_never_overwrite_a_decision_made_by_hand(data_dir):
    from lib import decisions
    from lib.workspaces import create_workspace

    acme = create_workspace("Acme", "acme.com")
    decisions.set_decisions(acme.id, ["net1.xyz"], "keep", "our partner")
    decisions.set_decisions(acme.id, ["quiet.com"], "undecided")
    plan = semrush_decisions(semrush_by_domain(AUDIT), ["net1.xyz", "blogspot-fan.com", "quiet.com",
                                                        "only-audit.com", "edge.com"])
    written = sum(decisions.set_decisions(acme.id, items, decision, "Semrush Backlink Audit action",
                                          source=SEMRUSH_SOURCE, overwrite=False)
                  for decision, items in plan.items())
    assert written == 3
    stored = decisions.decisions_for(acme.id).set_index("item")
    assert stored[["decision", "note", "source"]].to_dict("index") == {
        "blogspot-fan.com": {"decision": "keep", "note": "Semrush Backlink Audit action", "source": "semrush audit"},
        "net1.xyz": {"decision": "keep", "note": "our partner", "source": "manual"},  # by hand: stays
        "only-audit.com": {"decision": "remove", "note": "Semrush Backlink Audit action",
                           "source": "semrush audit"},
        "quiet.com": {"decision": "keep", "note": "Semrush Backlink Audit action", "source": "semrush audit"},
    }
