"""Priority of gap opportunities: a 0-100 score from visible, weighted parts.

Each part is a column between 0 and 1, so a user can see why a domain ranks where it does:

| part | 1 means | 0 means | from |
| --- | --- | --- | --- |
| relevance | a keyword or brand term in the domain name, titles or anchors | none | keywords, backlinks |
| competitors | links to every competitor | links to none | the gap |
| content | its links sit in content (text, not sitewide / image) | sitewide or image links only | backlinks |
| authority | Authority Score in the band worth asking (20-60) | 5 or below | the gap |
| low_risk | risk score 0 | risk score 100 | lib.analysis.risk |
| traffic | the most organic traffic in the list (log scale) | none | a traffic column, where the data has one |

priority = 100 x sum(weight x part) / sum(weight), over the parts the data has. A part with no value for a domain
(e.g. no backlinks of it to look at) counts as a neutral 0.5 for that domain; a part no domain has a value for
(e.g. no traffic column at all) is left out, so it neither helps nor hurts anyone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.analysis.categories import NAME_TERM_MIN, keyword_terms
from lib.analysis.gap import gap_risk, with_risk_scores
from lib.analysis.risk import LinkDomains, RiskContext
from lib.analysis.text import match_rows, sliced
from lib.arrow_strings import as_flags, column_strings, positions_in
from lib.frames import rows_where, values_at
from lib.parallel import beside

MAX_WEIGHT = 5
NEUTRAL = 0.5  # a part unknown for one domain
# Authority Score -> fit: nothing below 5, best from 20 to 60, easing off for the giants a small site rarely gets.
AUTHORITY_POINTS = ((0, 0.0), (5, 0.0), (20, 1.0), (60, 1.0), (80, 0.8), (100, 0.5))
KEYWORD_HIT = 1.0  # a whole keyword or brand term
WORD_HIT = 0.6  # one word of a keyword


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    weight: int  # default
    explanation: str


PARTS: tuple[Part, ...] = (
    Part("relevance", "Relevance", 3, "A target keyword or brand term (1) or one of their words (0.6) in the domain "
                                      "name, its page titles or anchors."),
    Part("competitors", "Competitors linked", 3, "Share of your competitors it links to."),
    Part("content", "Links in content", 2, "Share of its backlinks that are text links in content, not sitewide, "
                                           "image or form links (needs Backlinks exports)."),
    Part("authority", "Reasonable Authority Score", 2, "1 for Authority Score 20-60, less below and above: "
                                                       "very big sites rarely link to a small one."),
    Part("low_risk", "Low risk", 2, "100 minus the risk score, as 0-1 (lib.analysis.risk)."),
    Part("traffic", "Organic traffic", 1, "Organic traffic on a log scale, where the data has it."),
)
PART_CODES = tuple(p.code for p in PARTS)
PART_LABELS = {p.code: p.label for p in PARTS}
DEFAULT_WEIGHTS = {p.code: p.weight for p in PARTS}
SETTING = "priority_weights"


def parts_table() -> pd.DataFrame:
    return pd.DataFrame([{"part": p.label, "default weight": p.weight, "how it is scored": p.explanation}
                         for p in PARTS])


def clean_weights(weights: Mapping[str, object] | None) -> dict[str, int]:
    """Stored or typed weights made safe: every part present, whole numbers 0..MAX_WEIGHT, unknown keys dropped."""
    chosen = dict(DEFAULT_WEIGHTS)
    for code, value in (weights or {}).items():
        if code in chosen:
            try:
                chosen[code] = int(min(MAX_WEIGHT, max(0, round(float(value)))))
            except (TypeError, ValueError):
                pass  # a broken stored value falls back to the default
    return chosen


def load_weights(workspace_id: str, root: Path | None = None) -> dict[str, int]:
    from lib.workspaces import get_setting

    return clean_weights(get_setting(workspace_id, SETTING, None, root))


def save_weights(workspace_id: str, weights: Mapping[str, object], root: Path | None = None) -> dict[str, int]:
    from lib.workspaces import set_setting

    chosen = clean_weights(weights)
    set_setting(workspace_id, SETTING, chosen, root)
    return chosen


# ---------------------------------------------------------------------------------------------------------
# Parts
# ---------------------------------------------------------------------------------------------------------

def _terms(keywords: Sequence[str], brand_terms: Sequence[str], min_word: int) -> tuple[list[str], list[str]]:
    """(whole keywords and brand terms with spaces, hyphens, underscores and dots removed; keyword words of
    `min_word`+ letters), longest first."""
    whole = sorted({re.sub(r"[\s\-_.]+", "", t.lower()) for t in (*keywords, *brand_terms)} - {""}, key=len,
                   reverse=True)
    words = sorted({w for w in keyword_terms(tuple(keywords)) if len(w) >= min_word}, key=len, reverse=True)
    return whole, words


# Characters a name or a text may have between the letters of a term ("coffee-grinder", "Coffee Grinder" both
# hold "coffeegrinder"): a domain name's punctuation, and in titles and anchors also every space.
_NAME_SEPARATORS = r"\-_."


def _spread(terms: Sequence[str], separators: str) -> str | None:
    """A regex finding any of `terms` in a text as if the `separators` (a character class body) were removed
    from it first: each term's characters with any run of separators between them.

    Matching this in one pass gives the same answer as removing the separators and matching the terms, without
    building that copy of every text (a million titles: the copy ~0.5 s, the whole match ~0.08 s).
    """
    between = f"[{separators}]*"
    return "|".join(between.join(map(re.escape, term)) for term in terms) or None


def _hits(text: pd.Series, whole: str | None, words: str | None) -> np.ndarray:
    score = np.zeros(len(text))
    if words:
        score = np.where(text.str.contains(words, regex=True).to_numpy(bool), WORD_HIT, score)
    if whole:
        score = np.where(text.str.contains(whole, regex=True).to_numpy(bool), KEYWORD_HIT, score)
    return score


def relevance(domains: pd.Series, keywords: Sequence[str], brand_terms: Sequence[str] = (),
              text_scores: pd.Series | None = None) -> pd.Series:
    """0-1 per domain: keywords or brand terms in its name, else in its titles / anchors (`text_scores`, from
    `link_text_scores`: the best text hit per linking domain).

    NaN for every domain when the workspace has no keywords or brand terms: nothing to be relevant to.
    """
    if not _has_terms(keywords, brand_terms):
        return pd.Series(np.nan, index=domains.index)
    # Domain names glue words together ("coffeegrinderreviews"): match with separators removed, and only
    # longer keyword words, as lib.analysis.categories does, so "pour" does not hit "pourquoi".
    whole, words = _terms(keywords, brand_terms, NAME_TERM_MIN)
    whole_pattern, words_pattern = _spread(whole, _NAME_SEPARATORS), _spread(words, _NAME_SEPARATORS)
    score = np.concatenate(sliced(domains.astype("str"), lambda names: _hits(names.str.lower(), whole_pattern,
                                                                              words_pattern)))
    if text_scores is not None and len(text_scores):
        at = positions_in(domains, text_scores.index)
        score = np.maximum(score, np.where(at >= 0, text_scores.to_numpy(dtype="float64")[at], 0.0))
    return pd.Series(score, index=domains.index)


# Python's \s on text, spelled out (every character str.isspace() accepts; tests/test_analysis_priority.py
# checks the list): Arrow's RE2 reads \s as ASCII only, so pandas would run Python's re over every text.
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TEXT_SEPARATORS = _SPACES + _NAME_SEPARATORS


def _text_hits(texts: pd.Series, keywords: Sequence[str], brand_terms: Sequence[str]) -> np.ndarray:
    """KEYWORD_HIT where a whole keyword or brand term is in a title or anchor (separators ignored), else
    WORD_HIT where a keyword word stands as a word, else 0."""
    return np.concatenate(sliced(texts, lambda part: _text_hits_of(part, keywords, brand_terms)))


def _text_hits_of(texts: pd.Series, keywords: Sequence[str], brand_terms: Sequence[str]) -> np.ndarray:
    text = texts.str.lower()
    whole, _ = _terms(keywords, brand_terms, NAME_TERM_MIN)
    _, words = _terms(keywords, brand_terms, 3)
    pattern = "|".join(map(re.escape, words))
    word_hit = match_rows(text, rf"\b(?:{pattern})\b") if words else False
    hits = np.where(word_hit, WORD_HIT, 0.0)
    if whole:
        hits = np.where(match_rows(text, _spread(whole, _TEXT_SEPARATORS)), KEYWORD_HIT, hits)
    return hits


def authority_fit(ascore: pd.Series) -> pd.Series:
    """The Authority Score band: 0 up to 5, 1 from 20 to 60, easing to 0.5 at 100; NaN when unknown."""
    values = ascore.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    xs, ys = zip(*AUTHORITY_POINTS)
    fit = np.interp(np.clip(values, 0, 100), xs, ys)
    return pd.Series(np.where(np.isnan(values), np.nan, fit), index=ascore.index)


def _linking_domains(backlinks: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Each link's registrable domain as an integer code (-1 where missing), and the names by code, sorted.

    Grouping on the codes gives the same result as a groupby on the names without hashing a million strings
    for each grouping; priority_parts factorises once for all of its groupings and lookups."""
    codes, names = pd.factorize(backlinks["source_domain"].astype("str"), sort=True)
    return codes, pd.Series(names, dtype="str")


def _content_share_by_code(backlinks: pd.DataFrame, codes: np.ndarray, size: int) -> np.ndarray:
    """content_share per linking-domain code (every code has links)."""
    in_content = (backlinks["link_type"].astype("str") == "text").to_numpy(bool) & \
        ~backlinks["sitewide"].to_numpy(bool)
    named = codes >= 0
    return np.bincount(codes[named], weights=in_content[named], minlength=size) / np.maximum(
        np.bincount(codes[named], minlength=size), 1)


def content_share(backlinks: pd.DataFrame | None) -> pd.Series:
    """Per linking domain (registrable): share of its backlinks that are text links and not sitewide."""
    if backlinks is None or backlinks.empty:
        return pd.Series(dtype="float64")
    codes, names = _linking_domains(backlinks)
    return pd.Series(_content_share_by_code(backlinks, codes, len(names)), index=pd.Index(names, dtype="object"))


def _text_scores_by_code(backlinks: pd.DataFrame, keywords: Sequence[str], brand_terms: Sequence[str],
                         codes: np.ndarray, size: int, listed: np.ndarray | None) -> np.ndarray:
    """link_text_scores per linking-domain code: NaN for a code with no link read (`listed`: the codes to read,
    None for all)."""
    wanted = codes >= 0
    if listed is not None:
        wanted &= listed.take(np.maximum(codes, 0))
    read = backlinks[[c for c in ("source_title", "anchor") if c in backlinks]]
    read = read if wanted.all() else rows_where(read, wanted)
    best = np.zeros(len(read))
    if "source_title" in read:
        best = _text_hits(read["source_title"].fillna("").astype("str"), keywords, brand_terms)
    if "anchor" in read:
        anchor_codes, distinct = pd.factorize(read["anchor"].fillna("").astype("str"), sort=False)
        best = np.maximum(best, _text_hits(pd.Series(distinct, dtype="str"), keywords, brand_terms)[anchor_codes])
    per_code = np.full(size, -np.inf)
    np.maximum.at(per_code, codes[wanted], best)
    return np.where(np.isneginf(per_code), np.nan, per_code)


def _has_terms(keywords: Sequence[str], brand_terms: Sequence[str]) -> bool:
    return any(str(t).strip() for t in (*keywords, *brand_terms))


def link_text_scores(backlinks: pd.DataFrame | None, keywords: Sequence[str],
                     brand_terms: Sequence[str] = (), domains: pd.Series | pd.Index | None = None
                     ) -> pd.Series | None:
    """Per linking domain (registrable): the best keyword hit among its page titles and anchors (0-1).

    `domains`: score only these linking domains (the others are left out of the result), so the titles and
    anchors of links from any other domain are not matched: on the Gap, about half of a million backlinks come
    from domains none of the lists names.

    A domain's best is a maximum over integer codes: no (domain, text) pairs of a million links are built or
    hashed. Anchors repeat (brand, URL, "click here"), so each distinct anchor is matched once; titles are
    mostly distinct (one per linking page), so every title is matched where it stands, which costs less than
    finding the distinct ones first (a million links: ~0.3 s to factorise, ~0.15 s to match on two cores).
    """
    if backlinks is None or backlinks.empty or not _has_terms(keywords, brand_terms):
        return None
    codes, names = _linking_domains(backlinks)
    listed = None if domains is None else positions_in(names, domains) >= 0
    best = _text_scores_by_code(backlinks, keywords, brand_terms, codes, len(names), listed)
    scored = ~np.isnan(best)
    return pd.Series(best[scored], index=pd.Index(names[scored], dtype="object"))


def traffic_score(traffic: pd.Series) -> pd.Series:
    """Organic traffic on a log scale against the largest in the list."""
    values = pd.to_numeric(traffic, errors="coerce").astype("float64").clip(lower=0)
    top = np.log1p(values.max()) if values.notna().any() else np.nan
    if not np.isfinite(top) or top == 0:
        return pd.Series(np.where(values.notna(), 0.0, np.nan), index=traffic.index)
    return np.log1p(values) / top


def priority_parts(gap_frame: pd.DataFrame, n_competitors: int, *, keywords: Sequence[str] = (),
                   brand_terms: Sequence[str] = (), backlinks: pd.DataFrame | None = None,
                   risk: pd.DataFrame | None = None, links: LinkDomains | None = None) -> pd.DataFrame:
    """The six parts (0-1, NaN = unknown) for each row of a gap frame, same index.

    `backlinks`: Backlinks exports of the compared domains (links from these domains: titles, anchors, link
    types); the risk scores: the frame's own `risk_score` column (lib.analysis.gap.with_risk_scores), else
    `risk`: domain, risk_score as from lib.analysis.risk (keyed by the registrable domain). `links`:
    lib.analysis.risk.LinkDomains of `backlinks` when shared with the risk scoring.
    """
    root = gap_frame["root_domain"] if "root_domain" in gap_frame else gap_frame["domain"]
    parts = pd.DataFrame(index=gap_frame.index)
    relevant = relevance(root, keywords, brand_terms).to_numpy(dtype="float64")  # from the names
    content = np.full(len(root), np.nan)
    if backlinks is not None and not backlinks.empty:
        # Each row's registrable domain among the links' domains, looked up once for the titles and anchors and
        # for the content share (each looked the names up again: ~0.05 s per lookup of ~400,000 names).
        links = links or LinkDomains(backlinks)
        codes, names = links.codes, links.uniques
        at = positions_in(root, names)
        linked = at >= 0
        if _has_terms(keywords, brand_terms):
            listed = np.zeros(len(names), dtype=bool)
            listed[at[linked]] = True
            best = _text_scores_by_code(backlinks, keywords, brand_terms, codes, len(names), listed)
            relevant = np.maximum(relevant, np.where(linked, np.nan_to_num(best[np.maximum(at, 0)]), 0.0))
        content = np.where(linked, _content_share_by_code(backlinks, codes, len(names))[np.maximum(at, 0)], np.nan)
    parts["relevance"] = np.fmax(relevant, _subdomain_relevance(gap_frame, root, keywords, brand_terms))
    parts["competitors"] = gap_frame["competitors_linked"].to_numpy(dtype="float64") / max(1, n_competitors)
    parts["content"] = content
    parts["authority"] = authority_fit(gap_frame["domain_ascore"]).to_numpy()
    if "risk_score" in gap_frame:  # looked up already: not again among ~450,000 names
        parts["low_risk"] = _low_risk(gap_frame["risk_score"])
    elif risk is not None and len(risk):
        scores = pd.Series(risk["risk_score"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
                           index=risk["domain"])
        parts["low_risk"] = 1 - _looked_up(root, scores) / 100
    else:
        parts["low_risk"] = np.nan
    parts["traffic"] = traffic_score(gap_frame["organic_traffic"]).to_numpy() \
        if "organic_traffic" in gap_frame else np.nan
    return parts[list(PART_CODES)]


def _subdomain_relevance(gap_frame: pd.DataFrame, root: pd.Series, keywords: Sequence[str],
                         brand_terms: Sequence[str]) -> np.ndarray:
    """A subdomain's own name counts too ("coffee.blogspot.com"): relevance of the names that are not their
    registrable domain (NaN elsewhere, and where there are no terms). Where a name is its registrable domain,
    that domain's relevance already read it: the names are only matched again where they differ."""
    out = np.full(len(gap_frame), np.nan)
    names = gap_frame["domain"]
    differs = np.flatnonzero(as_flags(pc.not_equal(column_strings(names), column_strings(root)), missing=True))
    if len(differs):
        out[differs] = relevance(values_at(names, differs), keywords, brand_terms).to_numpy(dtype="float64")
    return out


def _low_risk(risk_score: pd.Series) -> np.ndarray:
    return 1 - risk_score.astype("Float64").to_numpy(dtype="float64", na_value=np.nan) / 100


@dataclass(frozen=True)
class ScoredGap:
    parts: pd.DataFrame  # priority_parts of every gap row
    risk: pd.DataFrame  # gap_risk: per registrable domain
    frame: pd.DataFrame  # the gap's rows with their risk_score


def score_gap(gap_frame: pd.DataFrame, n_competitors: int, context: RiskContext,
              referring_domains: Sequence[pd.DataFrame | None] = (), backlinks: pd.DataFrame | None = None, *,
              keywords: Sequence[str] = (), brand_terms: Sequence[str] = (),
              list_facts: pd.DataFrame | None = None) -> ScoredGap:
    """Every gap row's risk score (lib.analysis.gap.gap_risk) and priority parts.

    The parts that need no risk score (relevance from names, titles and anchors; the content share) are worked
    out on a second thread while the risk is scored: neither needs the other. `list_facts`: the Gap's, when it
    was computed from `referring_domains` (lib.analysis.gap.risk_facts).
    """
    # Both sides read the links by domain: one factorisation of their million domain names, made by whichever
    # side asks first.
    links = LinkDomains(backlinks) if backlinks is not None and len(backlinks) else None

    def risk_and_rows() -> tuple[pd.DataFrame, pd.DataFrame]:
        risk = gap_risk(gap_frame, context, referring_domains, backlinks, list_facts, links)
        return risk, with_risk_scores(gap_frame, risk, one_row_per_domain=True)

    (risk, scored), parts = beside(risk_and_rows, lambda: priority_parts(
        gap_frame, n_competitors, keywords=keywords, brand_terms=brand_terms, backlinks=backlinks, links=links))
    parts["low_risk"] = _low_risk(scored["risk_score"])
    return ScoredGap(parts, risk, scored)


def _looked_up(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """`values` (float, indexed by name) at each key's name, NaN where the name is not there; the first
    value of a name listed twice."""
    at = positions_in(keys, values.index)
    return np.where(at >= 0, values.to_numpy(dtype="float64").take(np.maximum(at, 0)) if len(values) else 0, np.nan)


def available(parts: pd.DataFrame) -> tuple[str, ...]:
    """The parts at least one row has a value for; the others are left out of the score."""
    return tuple(code for code in PART_CODES if code in parts and parts[code].notna().any())


def priority_score(parts: pd.DataFrame, weights: Mapping[str, object] | None = None) -> pd.Series:
    """0-100 per row (Int64): the weighted mean of the available parts, unknown values neutral."""
    chosen = clean_weights(weights)
    used = [c for c in available(parts) if chosen[c] > 0]
    total = sum(chosen[c] for c in used)
    if not used or total == 0:
        return pd.Series(pd.array([0] * len(parts), dtype="Int64"), index=parts.index)
    values = parts[used].fillna(NEUTRAL).to_numpy(dtype="float64")
    score = values @ np.array([chosen[c] for c in used], dtype="float64") / total
    return pd.Series(pd.array(np.round(score * 100).astype(np.int64), dtype="Int64"), index=parts.index)


def prioritise(frame: pd.DataFrame, parts: pd.DataFrame, weights: Mapping[str, object] | None = None
               ) -> pd.DataFrame:
    """The frame with `priority` and the parts as columns, highest priority first (ties: Authority Score, name)."""
    out = frame.join(parts[[c for c in PART_CODES if c not in frame]])
    out["priority"] = priority_score(parts.loc[frame.index], weights)
    return out.take(_ranking(out))


def _ranking(frame: pd.DataFrame) -> np.ndarray:
    """Positions by priority, then Authority Score (both highest first), then domain A-Z; missing values last.

    Sorted in Arrow: pandas' stable sort on these three columns took ~0.1 s for the Gap's ~200,000
    opportunities, twice Arrow's time, on every change of filters or weights.
    """
    ascore = frame["domain_ascore"].astype("Float64")
    priority = frame["priority"].astype("Int64")
    keys = pa.table({
        "priority": pa.array(priority.to_numpy(dtype="int64", na_value=0), mask=priority.isna().to_numpy(bool)),
        "ascore": pa.array(ascore.to_numpy(dtype="float64", na_value=0), mask=ascore.isna().to_numpy(bool)),
        "domain": column_strings(frame["domain"].astype("str")),
    })
    order = [("priority", "descending", "at_end"), ("ascore", "descending", "at_end"),
             ("domain", "ascending", "at_end")]
    return pc.sort_indices(keys, sort_keys=order).to_numpy()
