"""Anchor texts classified as brand, naked URL, exact / partial keyword, generic, empty or other.

The rules are plain and ordered (first match wins), so a user can predict every label:
1. empty      no text (image links usually)
2. naked_url  a URL or bare domain ("https://example.com", "www.example.com/page", "example.com")
3. brand      contains one of the workspace's brand terms (or its domain name)
4. exact      equals a target keyword (case, punctuation and extra spaces ignored)
5. partial    contains every word of a target keyword, or at least half of them
6. generic    a stock phrase ("click here", "website", "read more", ...)
7. other
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

CATEGORIES = ("brand", "naked_url", "exact_match", "partial_match", "generic", "empty", "other")
LABELS = {
    "brand": "Brand", "naked_url": "Naked URL", "exact_match": "Exact-match keyword",
    "partial_match": "Partial-match keyword", "generic": "Generic", "empty": "Empty / image", "other": "Other",
}
KEYWORD_HEAVY = ("exact_match", "partial_match")

GENERIC_PHRASES = frozenset({
    "click here", "here", "click", "this", "this link", "link", "website", "this website", "web site", "site",
    "this site", "the website", "visit", "visit site", "visit website", "visit us", "read more", "more",
    "learn more", "more info", "more information", "find out more", "see more", "continue reading", "source",
    "homepage", "home page", "home", "official site", "official website", "go", "go to", "check it out",
    "this article", "this post", "article", "post", "blog", "this blog", "view", "details", "online", "url",
    "link here", "click this", "check this out", "this page", "page", "via", "https", "http", "www",
})
_STOPWORDS = frozenset({"a", "an", "the", "for", "of", "to", "and", "in", "on", "with", "best", "top", "my", "your"})
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)


@dataclass(frozen=True)
class AnchorContext:
    own_domain: str = ""
    brand_terms: tuple[str, ...] = ()
    target_keywords: tuple[str, ...] = ()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _brand_terms(context: AnchorContext) -> list[str]:
    terms = [" ".join(_words(t)) for t in context.brand_terms]
    if context.own_domain:
        name = context.own_domain.split(".")[0]
        terms.append(" ".join(_words(name)))
    return [t for t in terms if t]


@dataclass(frozen=True)
class _Rules:
    """A context's terms prepared once, not once per anchor (a million backlinks have ~100,000 distinct anchors)."""
    brands: tuple[tuple[str, str], ...]  # (" term ", squashed term or "" when too short to match squashed)
    exact: frozenset[str]  # each keyword's words joined by one space
    # word -> (keyword index, times the word counts among that keyword's significant words)
    keyword_words: dict[str, tuple[tuple[int, int], ...]]
    needed: tuple[int, ...]  # per keyword: how many significant words it has


@lru_cache(maxsize=64)
def _rules(context: AnchorContext) -> _Rules:
    brands = tuple((f" {t} ", t.replace(" ", "") if len(t) > 4 else "") for t in _brand_terms(context))
    exact, needed, index = set(), [], {}
    for keyword in context.target_keywords:
        key_words = _words(keyword)
        if not key_words:
            continue
        exact.add(" ".join(key_words))
        significant = [w for w in key_words if w not in _STOPWORDS] or key_words
        for word in set(significant):
            index.setdefault(word, []).append((len(needed), significant.count(word)))
        needed.append(len(significant))
    return _Rules(brands, frozenset(exact), {w: tuple(v) for w, v in index.items()}, tuple(needed))


_EMPTY_TEXTS = frozenset({"[image]", "<img>", "image", "img", "[no anchor]", "(empty)"})


def classify_anchor(anchor: str | None, context: AnchorContext) -> str:
    return _classify(anchor, _rules(context))


def _classify(anchor: str | None, rules: _Rules) -> str:
    text = (anchor or "").strip()
    if not text or text.lower() in _EMPTY_TEXTS:
        return "empty"
    words = _words(text)
    if not words:
        return "empty"
    if _URL.match(text):
        return "naked_url"
    joined = " ".join(words)
    padded = f" {joined} "
    squashed = joined.replace(" ", "")
    for spaced, compact in rules.brands:
        if spaced in padded or (compact and compact in squashed):
            return "brand"
    if joined in rules.exact:
        return "exact_match"
    # Partial: at least half of some keyword's significant words occur in the anchor.
    hits: dict[int, int] = {}
    for word in set(words):
        for keyword, times in rules.keyword_words.get(word, ()):
            hits[keyword] = hits.get(keyword, 0) + times
    if any(2 * found >= rules.needed[keyword] for keyword, found in hits.items()):
        return "partial_match"
    if joined in GENERIC_PHRASES:
        return "generic"
    return "other"


def classify_anchors(anchors: pd.Series, context: AnchorContext) -> pd.Series:
    """One category per anchor; each distinct text is classified once."""
    text = anchors.fillna("").astype("str")
    codes, uniques = pd.factorize(text, sort=False)
    rules = _rules(context)
    # One bulk conversion to Python strings: iterating an Arrow array converts element by element.
    labels = [_classify(value, rules) for value in np.asarray(uniques, dtype=object)]
    return pd.Series(pd.array(labels, dtype="str").take(codes) if len(codes) else [], index=anchors.index,
                     dtype="str")


def exact_match_mask(anchors: pd.Series, context: AnchorContext) -> np.ndarray:
    """classify_anchors(anchors, context) == "exact_match", classifying only the anchors that can be.

    An exact match's words are a target keyword's words; for ASCII anchors (where Arrow's and Python's
    lower-casing agree) that is one Arrow regex pass over the distinct anchors, and only the anchors it
    matches, and all non-ASCII ones, are classified. Risk scores need only this label.
    """
    rules = _rules(context)
    if not rules.exact or not len(anchors):
        return np.zeros(len(anchors), dtype=bool)
    codes, uniques = pd.factorize(anchors.fillna("").astype("str"), sort=False)
    distinct = pd.Series(uniques, dtype="str")
    # In ASCII text the words (_words: runs of [^\W_] after lower-casing) are the runs of [a-z0-9], so the
    # words equal a keyword's exactly when the lower-cased text is that keyword's words separated by other
    # characters: one anchored regex, matched in Arrow. Only those and the non-ASCII anchors are classified
    # (the brand and URL rules come first, so a text of keyword words can still be something else).
    phrases = sorted(rules.exact)
    pattern = "^[^a-z0-9]*(?:" + "|".join("[^a-z0-9]+".join(re.escape(w) for w in p.split(" ")) for p in phrases) \
        + ")[^a-z0-9]*$"
    candidate = (distinct.str.lower().str.contains(pattern, regex=True) | ~distinct.str.isascii()).to_numpy(bool)
    exact = np.zeros(len(distinct), dtype=bool)
    picked = np.flatnonzero(candidate)
    values = distinct.to_numpy(dtype=object)
    exact[picked] = [_classify(values[i], rules) == "exact_match" for i in picked]
    return exact.take(codes) if len(codes) else np.zeros(0, dtype=bool)
