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
import pyarrow as pa
import pyarrow.compute as pc

from lib.arrow_strings import as_flags, column_strings

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
    labels = _classify_distinct(pd.Series(uniques, dtype="str"), _rules(context))
    return pd.Series(pd.array(labels, dtype="str").take(codes) if len(codes) else [], index=anchors.index,
                     dtype="str")


# Printable ASCII: no character Python's str.strip, str.lower or \S reads differently from Arrow's and RE2's.
_PLAIN = r"^[\x20-\x7e]*$"


def _classify_distinct(texts: pd.Series, rules: _Rules) -> np.ndarray:
    """_classify of each text (distinct texts, no missing one): the printable-ASCII texts by the same rules in
    Arrow, a few passes over the column instead of one Python call per text (~100,000 distinct anchors per
    million backlinks); the others, one by one in Python."""
    labels = np.full(len(texts), "other", dtype=object)
    if not len(texts):
        return labels
    strings = column_strings(texts).combine_chunks()
    plain = np.asarray(pc.match_substring_regex(strings, _PLAIN).to_numpy(zero_copy_only=False), dtype=bool)
    other = np.flatnonzero(~plain)
    values = texts.to_numpy(dtype=object)
    labels[other] = [_classify(values[i], rules) for i in other]
    at = np.flatnonzero(plain)
    if len(at):
        labels[at] = _classify_plain(strings.take(pa.array(at)), rules)
    return labels


def _classify_plain(strings: pa.Array, rules: _Rules) -> np.ndarray:
    """_classify of printable-ASCII texts, rule for rule: in them a word (_words) is a run of [a-z0-9] once
    lower-cased, and the only white space is the space."""
    strings = strings.cast(pa.large_string())
    space = pa.scalar(" ", pa.large_string())
    text = pc.utf8_trim(strings, " ")
    lower = pc.ascii_lower(text)
    joined = pc.utf8_trim(pc.replace_substring_regex(lower, "[^a-z0-9]+", " "), " ")
    padded = pc.binary_join_element_wise(space, joined, space, pa.scalar("", pa.large_string()))
    squashed = pc.replace_substring(joined, " ", "")
    empty = as_flags(pc.equal(joined, "")) | as_flags(pc.is_in(lower, pa.array(sorted(_EMPTY_TEXTS),
                                                                             pa.large_string())))
    brand = np.zeros(len(strings), dtype=bool)
    for spaced, compact in rules.brands:
        brand |= as_flags(pc.match_substring(padded, spaced))
        if compact:
            brand |= as_flags(pc.match_substring(squashed, compact))
    conditions = [
        empty,
        as_flags(pc.match_substring_regex(text, _URL.pattern, ignore_case=True)),  # same as re on these texts
        brand,
        as_flags(pc.is_in(joined, pa.array(sorted(rules.exact), pa.large_string()))),
        _partial(joined, rules),
        as_flags(pc.is_in(joined, pa.array(sorted(GENERIC_PHRASES), pa.large_string()))),
    ]
    return np.select(conditions, ["empty", "naked_url", "brand", "exact_match", "partial_match", "generic"],
                     "other").astype(object)


def _partial(joined: pa.Array, rules: _Rules) -> np.ndarray:
    """The partial rule on texts of words joined by single spaces: each text's distinct words that are a
    keyword's, counted per keyword (one split and one hash lookup, not one pass per keyword word)."""
    if not rules.needed or not len(joined):
        return np.zeros(len(joined), dtype=bool)
    vocabulary = list(rules.keyword_words)
    weights = np.zeros((len(vocabulary), len(rules.needed)), dtype=np.int64)
    for row, word in enumerate(vocabulary):
        for keyword, times in rules.keyword_words[word]:
            weights[row, keyword] = times
    words = pc.split_pattern(joined, " ")
    which = pc.index_in(pc.list_flatten(words), value_set=pa.array(vocabulary, pa.large_string()))
    which = np.asarray(pc.fill_null(which, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    owner = np.asarray(pc.list_parent_indices(words).to_numpy(zero_copy_only=False), dtype=np.int64)
    known = which >= 0
    # A word counts once per text however often it is repeated (the rule reads the set of its words).
    pairs = np.unique(owner[known] * len(vocabulary) + which[known])
    owner, which = pairs // len(vocabulary), pairs % len(vocabulary)
    found = np.zeros((len(joined), len(rules.needed)), dtype=np.int64)
    np.add.at(found, owner, weights[which])
    return (2 * found >= np.asarray(rules.needed, dtype=np.int64)).any(axis=1)


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
