"""Regex work on text columns in Arrow where Arrow's RE2 and Python's `re` give the same answer.

pandas runs `str.extract` in Python for every row. For ASCII text without line breaks RE2 and Python
agree on the constructs the analyses use (\\d, \\b, \\w, case-insensitive matching, ^ and $), so those
rows go through Arrow and only the others (Unicode letters or digits, a trailing newline) through Python.
"""

from __future__ import annotations

import re
from typing import Callable, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.arrow_strings import as_flags, column_strings, has_line_break, take_from_chunks
from lib.frames import values_at
from lib.parallel import in_slices

GROUP = "found"
T = TypeVar("T")


def extract_first(texts: pd.Series, pattern: str) -> pd.Series:
    """`texts.str.extract(pattern, expand=False)` (str dtype, NA where nothing matched, named `found`) for a
    pattern whose one capturing group is named `found`: `(?P<found>...)`."""
    text = texts.fillna("").astype("str")
    if text.empty:
        return pd.Series(pd.array([], dtype="str"), index=texts.index, name=GROUP)
    strings = column_strings(text)
    plain = as_flags(pc.string_is_ascii(strings))
    if has_line_break(strings):  # (a scan of the bytes: searching each text for one cost more than the regex)
        plain &= ~text.str.contains("\n", regex=False).to_numpy(bool)
    # struct_field keeps the struct's nulls (rows that did not match); .field() would not.
    found = pc.struct_field(pc.extract_regex(strings, pattern), [0])
    missing = texts.isna().to_numpy(bool)
    if plain.all() and not missing.any():  # (nearly always) Arrow's answer as it is: no Python string per row
        return pd.Series(pd.array(found, dtype="str"), index=texts.index, name=GROUP)
    values = np.asarray(found.to_numpy(zero_copy_only=False), dtype=object)
    if not plain.all():
        other = np.flatnonzero(~plain)
        values[other] = values_at(text, other).str.extract(pattern, expand=False).to_numpy(dtype=object)
    if missing.any():  # pandas gives NA for a missing text, whatever the pattern
        values[missing] = None
    return pd.Series(pd.array(values, dtype="str"), index=texts.index, name=GROUP)


def sliced(texts: pd.Series, method: Callable[[pd.Series], T]) -> list[T]:
    """`method` (element-wise pandas string work) on consecutive slices of `texts`, one per core, in order.

    pandas runs a regex in Arrow (RE2, which releases the GIL) or, where RE2 could answer differently, in
    Python's `re`: it decides per call (ASCII text for \\b, \\w, \\d; no line break for $), and where it lets
    RE2 answer both engines agree on every row. So each slice's answers are those of one call on the whole
    column, and the slices run on both cores.
    """
    return in_slices(lambda start, stop: method(texts.iloc[start:stop]), len(texts))


def contains(texts: pd.Series, pattern: str, case: bool = True) -> np.ndarray:
    """`texts.str.contains(pattern, case=case, regex=True)` as booleans (missing texts False), on every core."""
    parts = sliced(texts, lambda part: match_rows(part, pattern, case))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def match_rows(texts: pd.Series, pattern: str, case: bool = True) -> np.ndarray:
    """`texts.str.contains(pattern, case=case, regex=True)` as booleans (missing texts False), on this thread.

    pandas runs a pattern with \\b, \\w or \\d in Python's `re` over every text as soon as one text is not ASCII
    (RE2 reads those as ASCII only): one title with an em dash made a pass over 300,000 titles ~7x slower. So
    the ASCII texts and the others are asked apart, each as pandas would answer them: the same answers, with
    Python's `re` only on the texts that need it (for a word pattern, only on the non-ASCII texts RE2 finds
    the pattern in once its \\b are dropped; a text whose only other characters are NON_WORD_SYMBOLS, dashes
    and quotes, is answered by RE2 as an ASCII one).
    """
    arrow = isinstance(texts.array, pd.arrays.ArrowStringArray)
    strings = column_strings(texts) if arrow else None
    relaxed = _relaxed(pattern, line_breaks=strings is None or ("$" in pattern and has_line_break(strings)))
    if relaxed is None or strings is None:
        ascii_ = texts.str.isascii().fillna(True).to_numpy(bool)
        if ascii_.all():
            return _contains(texts, pattern, case)
        out = np.zeros(len(texts), dtype=bool)
        out[ascii_] = _contains(texts[ascii_], pattern, case)
        out[~ascii_] = _contains(texts[~ascii_], pattern, case)
        return out
    # RE2 answers every text as pandas would answer an ASCII column (the pattern needs none of pandas' rewrites);
    # the non-ASCII texts are then asked again, in Python's re, where RE2 finds the pattern without its \b.
    out = as_flags(pc.match_substring_regex(strings, pattern, ignore_case=not case))
    other = np.flatnonzero(~as_flags(pc.string_is_ascii(strings), True))
    if len(other):
        other = other[~_ascii_but_symbols(strings, other)]
    if len(other):
        out[other] = False
        rest = values_at(texts, other)
        other = other[_contains(rest, relaxed, case) | _contains(rest, _DOTLESS_I, True)]
        out[other] = _contains(values_at(texts, other), pattern, case)
    return out


# Constructs on which RE2 may find less than Python's re in non-ASCII text: \w, \d and \s are ASCII-only in
# RE2, and escapes and lookarounds RE2 lacks. ($ also matches before a final line break in Python: see _relaxed.)
_NOT_RELAXABLE = re.compile(r"\\[wWdDsSAZzuUNxpPg0-9]|\(\?[=!<P]|\[[^\]]*\\[bB]")
# Python's case-insensitive matching takes these for i; RE2's does not (checked over every code point).
_DOTLESS_I = "[\u0130\u0131]"
# Punctuation and symbols common in titles: no word characters for Python's \b or RE2's, and without case, so an
# ASCII pattern finds the same in a text whose only other characters are these in either engine (the tests check
# both properties of each). Dashes, quotes, the middle dot and bullet, ellipsis, guillemets, no-break space, ...
NON_WORD_SYMBOLS = ("\u00a0\u00a1\u00a3\u00a7\u00a9\u00ab\u00ae\u00b0\u00b6\u00b7\u00bb\u00bf\u00d7\u00f7"
                    "\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021"
                    "\u2022\u2026\u2030\u2032\u2033\u2039\u203a\u20ac\u2122")
_ASCII_OR_SYMBOLS = "^[\\x{0}-\\x{7f}" + NON_WORD_SYMBOLS + "]*$"  # every character ASCII or one of them


def _ascii_but_symbols(strings: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Per row of `rows`: is its text ASCII but for NON_WORD_SYMBOLS? RE2's answer then stands (en and em dashes
    and curly quotes made ~16% of the bench's titles go to Python's re). One match, no copy of the texts with
    the symbols removed (157,000 titles: 0.07 -> 0.05 s)."""
    return as_flags(pc.match_substring_regex(take_from_chunks(strings, rows), _ASCII_OR_SYMBOLS), False)


def _relaxed(pattern: str, line_breaks: bool) -> str | None:
    """An ASCII pattern without its \\b and \\B: a superset of the pattern's matches, the same in RE2 and in
    Python's re (dropping an assertion only widens a match), so RE2 can pick the texts worth Python's time.
    None where RE2 might find less than Python would: also for a $ (any, to keep the check simple) when the
    texts may hold a line break, before which Python's $ matches too. (Without this, pandas searched every
    text for a line feed on each call: half the time of a URL rule over 600,000 URLs.)"""
    if not pattern.isascii() or _NOT_RELAXABLE.search(pattern) or ("$" in pattern and line_breaks):
        return None
    return re.sub(r"\\(.)", lambda escape: "" if escape.group(1) in "bB" else escape.group(0), pattern)


def _contains(texts: pd.Series, pattern: str, case: bool) -> np.ndarray:
    # A copy: pandas may hand back a read-only view, and callers refine the answer in place.
    return np.array(texts.str.contains(pattern, case=case, regex=True).fillna(False).to_numpy(dtype=bool))
