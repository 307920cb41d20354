"""Priority of gap opportunities: each part on a small fixture, weights reorder, weights stored and reloaded."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lib.analysis import priority as p
from lib.analysis.risk import LinkDomains
from lib.workspaces import create_workspace

KEYWORDS = ("coffee grinder", "pour over")
BRAND = ("alpine brew",)


def gap_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "domain": pd.array(["coffeegrinderlab.com", "pourovernotes.net", "grinderhub.org", "gardening.com",
                            "alpine-brew-fans.com", "news.bigpaper.com"], dtype="str"),
        "root_domain": pd.array(["coffeegrinderlab.com", "pourovernotes.net", "grinderhub.org", "gardening.com",
                                 "alpine-brew-fans.com", "bigpaper.com"], dtype="str"),
        "domain_ascore": pd.array([40, 3, 12, 70, None, 95], dtype="Int64"),
        "competitors_linked": [4, 1, 2, 0, 3, 4],
    })


def backlinks() -> pd.DataFrame:
    return pd.DataFrame({
        "source_domain": pd.array(["gardening.com"] * 3 + ["grinderhub.org"] * 2, dtype="str"),
        "source_title": pd.array(["Roses", "Best coffee grinder for a cabin", "", "Hub", "Hub"], dtype="str"),
        "anchor": pd.array(["roses", "", "", "click", "a burr tool"], dtype="str"),
        "link_type": pd.array(["text", "text", "image", "text", "text"], dtype="str"),
        "sitewide": [False, True, False, False, False],
    })


def test_relevance_from_names_titles_and_anchors():
    frame = gap_rows()
    texts = p.link_text_scores(backlinks(), KEYWORDS, BRAND)
    # gardening.com: "coffee grinder" in a title; grinderhub.org's "Hub", "click", "a burr tool" hold no keyword
    assert texts.to_dict() == {"gardening.com": 1.0, "grinderhub.org": 0.0}
    rel = p.relevance(frame["domain"], KEYWORDS, BRAND, texts)
    assert rel.tolist() == [1.0, 1.0, 0.6, 1.0, 1.0, 0.0]
    # gardening.com only through its page title "Best coffee grinder for a cabin"
    assert p.relevance(frame["domain"], KEYWORDS, BRAND).tolist() == [1.0, 1.0, 0.6, 0.0, 1.0, 0.0]
    assert p.relevance(frame["domain"], (), ()).isna().all()


def test_titles_and_anchors_match_keywords_across_any_whitespace_and_case():
    links = pd.DataFrame({
        "source_domain": pd.array(["a.com", "b.com", "c.com", "d.com", "d.com"], dtype="str"),
        "source_title": pd.array(["COFFEE\u00a0GRINDER tests", "Pour-over notes", "pour\u3000over", "", None],
                                 dtype="str"),
        "anchor": pd.array(["", "", "", "my grinder", "Alpine\tBrew"], dtype="str"),
    })
    scores = p.link_text_scores(links, KEYWORDS, BRAND)
    # a no-break space, a hyphen and an ideographic space all separate words as Python's \s does; a word
    # alone ("grinder") is a word hit; a brand term with a tab in it is a whole hit
    assert scores.to_dict() == {"a.com": 1.0, "b.com": 1.0, "c.com": 1.0, "d.com": 1.0}
    assert p.link_text_scores(links[3:4], KEYWORDS, BRAND).to_dict() == {"d.com": 0.6}
    assert p.link_text_scores(links, (), ()) is None


_TEXT = st.text(alphabet=st.sampled_from(list("ab+(é É-_. \t\u00a0\u3000\u2028")), max_size=24)
_TERMS = st.lists(st.text(alphabet=st.sampled_from(list("ab+(é")), min_size=1, max_size=4), min_size=1, max_size=3)


@given(text=_TEXT, terms=_TERMS)
@example(text="a -_.\u3000\tb", terms=["ab"])  # a run of several separators between two letters
@example(text="éb", terms=["b", "éa"])
def test_spread_terms_match_as_if_the_separators_were_removed(text, terms):
    # The one-pass pattern against the plain definition: drop the separators, then look for a term; in Arrow
    # (pandas' str dtype) as the analyses run it, for titles' separators and for domain names'.
    for separators in (p._TEXT_SEPARATORS, p._NAME_SEPARATORS):
        squeezed = re.sub(f"[{separators}]+", "", text)
        found = pd.Series([text], dtype="str").str.contains(p._spread(terms, separators), regex=True)
        assert bool(found.iloc[0]) == any(term in squeezed for term in terms)
    assert p._spread([], p._NAME_SEPARATORS) is None


def test_the_spelled_out_whitespace_is_pythons():
    spelled = {c for c in map(chr, range(0x110000)) if re.fullmatch(f"[{p._SPACES}]", c)}
    assert spelled == {c for c in map(chr, range(0x110000)) if c.isspace()}
    assert spelled == {c for c in map(chr, range(0x110000)) if re.fullmatch(r"\s", c)}


def test_authority_band_is_not_higher_is_better():
    fit = p.authority_fit(pd.Series(pd.array([0, 5, 12, 20, 40, 60, 80, 95, 100, None], dtype="Int64")))
    assert fit.iloc[:9].round(4).tolist() == [0.0, 0.0, round(7 / 15, 4), 1.0, 1.0, 1.0, 0.8, 0.575, 0.5]
    assert math.isnan(fit.iloc[9])


def test_content_share_counts_text_links_that_are_not_sitewide():
    shares = p.content_share(backlinks())
    assert shares.to_dict() == {"gardening.com": pytest.approx(1 / 3), "grinderhub.org": 1.0}


def test_every_part_on_the_fixture():
    frame = gap_rows()
    risk = pd.DataFrame({"domain": ["coffeegrinderlab.com", "gardening.com", "bigpaper.com"],
                         "risk_score": pd.array([0, 60, 20], dtype="Int64")})
    parts = p.priority_parts(frame, 4, keywords=KEYWORDS, brand_terms=BRAND, backlinks=backlinks(), risk=risk)
    assert list(parts.columns) == list(p.PART_CODES)
    assert parts["competitors"].tolist() == [1.0, 0.25, 0.5, 0.0, 0.75, 1.0]
    assert parts["relevance"].tolist() == [1.0, 1.0, 0.6, 1.0, 1.0, 0.0]
    content = parts["content"].tolist()
    assert content[2] == 1.0 and content[3] == pytest.approx(1 / 3) and np.isnan(content[0])
    low_risk = parts["low_risk"].tolist()
    assert low_risk[0] == 1.0 and low_risk[3] == pytest.approx(0.4) and low_risk[5] == pytest.approx(0.8)
    assert np.isnan(low_risk[1])  # not scored
    assert parts["traffic"].isna().all()  # no traffic column: left out
    assert p.available(parts) == ("relevance", "competitors", "content", "authority", "low_risk")
    # A frame that carries its risk scores (lib.analysis.gap.with_risk_scores) gives the same parts.
    scored = frame.assign(risk_score=pd.array([0, None, None, 60, None, 20], dtype="Int64"))
    pd.testing.assert_frame_equal(p.priority_parts(scored, 4, keywords=KEYWORDS, brand_terms=BRAND,
                                                   backlinks=backlinks()), parts)
    # The links' domains factorised elsewhere (score_gap shares them with the risk score): the same parts.
    links = backlinks()
    pd.testing.assert_frame_equal(p.priority_parts(frame, 4, keywords=KEYWORDS, brand_terms=BRAND, backlinks=links,
                                                   risk=risk, links=LinkDomains(links)), parts)


def test_a_subdomains_own_name_counts_for_relevance():
    frame = pd.DataFrame({
        "domain": pd.array(["coffee-grinder.blogspot.com", "news.bigpaper.com", "pourovernotes.net"], dtype="str"),
        "root_domain": pd.array(["blogspot.com", "bigpaper.com", "pourovernotes.net"], dtype="str"),
        "domain_ascore": pd.array([30, 95, 3], dtype="Int64"), "competitors_linked": [1, 1, 1],
    })
    parts = p.priority_parts(frame, 4, keywords=KEYWORDS, brand_terms=BRAND)
    assert parts["relevance"].tolist() == [1.0, 0.0, 1.0]
    # The same names as their own registrable domains: the same relevance.
    assert p.priority_parts(frame.assign(root_domain=frame["domain"]), 4, keywords=KEYWORDS,
                            brand_terms=BRAND)["relevance"].tolist() == [1.0, 0.0, 1.0]
    assert p.priority_parts(frame, 4)["relevance"].isna().all()  # no terms: nothing to be relevant to


def test_traffic_on_a_log_scale():
    score = p.traffic_score(pd.Series([0, 9, 99, None]))
    assert score.iloc[:3].round(4).tolist() == [0.0, 0.5, 1.0] and math.isnan(score.iloc[3])


def test_score_is_the_weighted_mean_of_available_parts_unknown_neutral():
    parts = pd.DataFrame({"relevance": [1.0, 0.0], "competitors": [0.0, 1.0], "content": [np.nan, 1.0],
                          "authority": [1.0, 1.0], "low_risk": [np.nan, np.nan], "traffic": [np.nan, np.nan]})
    weights = {"relevance": 2, "competitors": 1, "content": 1, "authority": 0, "low_risk": 5, "traffic": 5}
    # low_risk and traffic have no value anywhere: left out. Row 0: (2*1 + 0 + 1*0.5) / 4
    assert p.priority_score(parts, weights).tolist() == [62, 50]


def test_weights_change_the_order():
    frame = gap_rows()
    parts = p.priority_parts(frame, 4, keywords=KEYWORDS, brand_terms=BRAND)
    by_relevance = p.prioritise(frame, parts, {c: 0 for c in p.PART_CODES} | {"relevance": 5})
    by_competitors = p.prioritise(frame, parts, {c: 0 for c in p.PART_CODES} | {"competitors": 5})
    assert by_relevance["domain"].iloc[-1] in ("gardening.com", "news.bigpaper.com")
    assert by_competitors["domain"].tolist()[:2] == ["news.bigpaper.com", "coffeegrinderlab.com"]
    assert by_competitors["domain"].iloc[-1] == "gardening.com"
    # pourovernotes.net: relevant but one competitor and Authority Score 3
    assert by_relevance["domain"].tolist().index("pourovernotes.net") < \
        by_competitors["domain"].tolist().index("pourovernotes.net")
    assert by_relevance["priority"].is_monotonic_decreasing


def test_weights_are_cleaned_stored_and_reloaded(data_dir):
    workspace = create_workspace("Shop", "shop.com", ["a.com"])
    assert p.load_weights(workspace.id) == p.DEFAULT_WEIGHTS
    saved = p.save_weights(workspace.id, {"relevance": 9, "traffic": -2, "content": "x", "bogus": 3,
                                          "authority": 2.6})
    assert saved == p.DEFAULT_WEIGHTS | {"relevance": 5, "traffic": 0, "authority": 3}
    assert p.load_weights(workspace.id) == saved
    assert p.load_weights(workspace.id, data_dir) == saved


def test_link_text_scores_of_chosen_domains_read_only_their_links():
    links = backlinks()
    chosen = p.link_text_scores(links, KEYWORDS, BRAND, pd.Index(["grinderhub.org", "absent.net"]))
    assert chosen.to_dict() == {"grinderhub.org": 0.0}
    assert p.link_text_scores(links, KEYWORDS, BRAND, pd.Series(["gardening.com"])).to_dict() == {"gardening.com": 1.0}
    assert p.link_text_scores(links, KEYWORDS, BRAND, pd.Index([], dtype="str")).empty
    # the same answers as scoring every domain and keeping the chosen ones
    every = p.link_text_scores(links, KEYWORDS, BRAND)
    assert chosen.to_dict() == every[["grinderhub.org"]].to_dict()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 3)),
                          st.one_of(st.none(), st.sampled_from(["a.com", "b.com", "B.com", "é.net", "ab.com", ""]))),
                max_size=12))
def test_ranking_is_pandas_stable_sort_by_priority_authority_and_name(rows):
    frame = pd.DataFrame({"priority": pd.array([r[0] for r in rows], dtype="Int64"),
                          "domain_ascore": pd.array([r[1] for r in rows], dtype="Int64"),
                          "domain": pd.array([r[2] for r in rows], dtype="str")},
                         index=pd.RangeIndex(len(rows)) * 3)  # the gap's row labels, not positions
    expected = frame.sort_values(["priority", "domain_ascore", "domain"], ascending=[False, False, True],
                                 kind="stable", na_position="last")
    assert frame.take(p._ranking(frame)).index.tolist() == expected.index.tolist()
