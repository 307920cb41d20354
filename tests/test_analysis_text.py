"""extract_first runs regexes in Arrow where it can, and always answers as pandas' str.extract (Python's re)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lib import parallel
from lib.analysis.text import NON_WORD_SYMBOLS, contains, extract_first, match_rows, sliced

PATTERNS = (
    r"^(?P<found>\d+\.\d+\.\d+)\.\d+$",  # an IPv4 address's network (\d: Unicode digits in Python)
    r"(?i)(?P<found>\b(?:forums?|news)\b)",  # a word (\b: Unicode letters in Python)
    r"(?i)(?P<found>/(?:news|links)(?:[/._?#-]|$))",  # a path ($: also before a final newline in Python)
    r"(?P<found>\w+)",
)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_examples_of_each_case(pattern):
    texts = pd.Series(pd.array(["1.2.3.4", "\u0661.\u0662.\u0663.\u0664", "1.2.3.4\n", "Forum news", "caf\u00e9news",
                                "/news/", "/NEWS\n", "", None], dtype="str"))
    pd.testing.assert_series_equal(extract_first(texts, pattern), texts.str.extract(pattern, expand=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="a.1\u0663/\n N-sw\u00e9_", max_size=10) | st.none(), max_size=8),
       st.sampled_from(PATTERNS))
def test_same_answer_as_pandas_on_any_text(values, pattern):
    texts = pd.Series(pd.array(values, dtype="str"))
    pd.testing.assert_series_equal(extract_first(texts, pattern), texts.str.extract(pattern, expand=False))


CONTAINS_PATTERNS = (r"\bnews\b", r"(?i)\b(?:forum|caf\u00e9)s?\b", r"/links$", r"\w+ing", r"[\-_.]")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="news /likg\u00e9\u00c9N\n_.-", max_size=12), min_size=0, max_size=12),
       st.sampled_from(CONTAINS_PATTERNS), st.booleans())
def test_contains_on_slices_answers_as_pandas_on_the_whole_column(values, pattern, case):
    # Slices of a few rows each: one may be ASCII (pandas lets RE2 answer) and the next not (Python's re).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "PARALLEL_MIN_ROWS", 2)
        patch.setattr(parallel.os, "cpu_count", lambda: 4)
        texts = pd.Series(pd.array(values, dtype="str"))
        expected = texts.str.contains(pattern, case=case, regex=True).fillna(False).to_numpy(bool)
        assert contains(texts, pattern, case).tolist() == expected.tolist()
        halves = sliced(texts, lambda part: part.str.replace(pattern, "", regex=True))
        assert (len(halves) > 1) == (len(values) >= 2)  # the work was split
        assert pd.concat(halves).tolist() == texts.str.replace(pattern, "", regex=True).tolist()


# Word patterns RE2 may pre-screen in non-ASCII text, with letters Python's case-insensitive matching folds
# (dotted and dotless I, long s, the Kelvin sign) and letters that make \b differ between the engines.
WORD_PATTERNS = (r"(?i)\b(?:casino|pills?)\b", r"\bin\b", r"\b(?:news|ink)\B")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="news /likgcaopI\u00e9\u00c9\u2014\u2013\u00b7\u2019\u00a0\u2026\u0130\u0131\u017f"
                                 "\u212aN\n_.-", max_size=12)
                | st.none(), max_size=12),
       st.sampled_from(CONTAINS_PATTERNS + WORD_PATTERNS), st.booleans())
@example(["\u0130n", "a \u2014 b"], r"\bin\b", False)  # Python's re takes the dotted I for i, RE2 does not
@example(["cas\u0131no \u2014 \u017fpin"], WORD_PATTERNS[0], True)
def test_ascii_and_other_texts_asked_apart_answer_as_pandas_on_the_whole_column(values, pattern, case):
    # pandas would run Python's re on every row of such a column; match_rows lets RE2 answer the ASCII rows
    # and pick which of the others a word pattern can match at all.
    texts = pd.Series(pd.array(values, dtype="str"))
    expected = texts.str.contains(pattern, case=case, regex=True).fillna(False).to_numpy(bool)
    assert match_rows(texts, pattern, case).tolist() == expected.tolist()


END_PATTERNS = (r"(?i)/(?:forums?|r)(?:[/._?#-]|$)", r"\bnews$", r"(?i)\.com$|^blog")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="/forumsr.com-blognews\u00e9\u0130\u2014 \n", max_size=12) | st.none(),
                max_size=12),
       st.sampled_from(END_PATTERNS), st.booleans())
@example(["/forum\n", "/r"], END_PATTERNS[0], False)  # Python's $ matches before the final line feed, RE2's not
@example(["caf\u00e9news", "x news"], END_PATTERNS[1], True)
def test_patterns_ending_in_dollar_answer_as_pandas_with_and_without_line_breaks(values, pattern, case):
    # Without a line break in the column RE2 answers a $ pattern itself; with one, pandas' own way is kept.
    texts = pd.Series(pd.array(values, dtype="str"))
    expected = texts.str.contains(pattern, case=case, regex=True).fillna(False).to_numpy(bool)
    assert match_rows(texts, pattern, case).tolist() == expected.tolist()


def test_a_dollar_pattern_on_texts_without_line_breaks_is_answered_by_re2_alone(monkeypatch):
    # pandas' str.contains searched every text for a line feed before each $ pattern; RE2 answers it now.
    texts = pd.Series(pd.array(["https://a.com/forum/", "https://b.com/forums", "https://c.com/x"], dtype="str"))

    def no_pandas(*args, **kwargs):
        raise AssertionError("pandas' str.contains was called")

    monkeypatch.setattr(pd.core.strings.accessor.StringMethods, "contains", no_pandas)
    assert match_rows(texts, r"/forums?(?:[/._?#-]|$)", False).tolist() == [True, True, False]


def test_the_symbols_re2_answers_for_are_no_word_characters_and_have_no_case_in_either_engine():
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    assert len(set(NON_WORD_SYMBOLS)) == len(NON_WORD_SYMBOLS) > 20
    for symbol in NON_WORD_SYMBOLS:
        assert not re.match(r"\w", symbol) and symbol.lower() == symbol == symbol.upper() == symbol.casefold()
        assert not any(re.fullmatch(c, symbol, re.IGNORECASE) for c in "abcdefghijklmnopqrstuvwxyz0123456789_")
    texts = pa.array([f"a{symbol}" for symbol in NON_WORD_SYMBOLS])
    assert pc.all(pc.match_substring_regex(texts, r"^a\b")).as_py()  # a word boundary after the a in RE2 too
    assert not pc.any(pc.match_substring_regex(texts, r"(?i)[a-z0-9_]$")).as_py()
    assert pc.utf8_lower(texts).to_pylist() == texts.to_pylist()
    assert [t[1:] for t in pc.utf8_upper(texts).to_pylist()] == list(NON_WORD_SYMBOLS)


@settings(max_examples=200, deadline=None)
@example(["in\u2014news", "\u2018casino\u2019", "ink\u2026", "\u00a0in\u00b7"], WORD_PATTERNS[1], True)
@given(st.lists(st.text(alphabet=st.sampled_from(list("casino pills in news ink CASINO-_.'" + NON_WORD_SYMBOLS)),
                        max_size=14), max_size=12),
       st.sampled_from(CONTAINS_PATTERNS + WORD_PATTERNS), st.booleans())
def test_texts_with_only_symbols_beyond_ascii_answer_as_pandas(values, pattern, case):
    texts = pd.Series(pd.array(values, dtype="str"))
    expected = texts.str.contains(pattern, case=case, regex=True).fillna(False).to_numpy(bool)
    assert match_rows(texts, pattern, case).tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@example(["", "a\x00\n\x7f", "\u2013", "caf\u00e9", "\u00a0x\u2122", "\U0001f600"])
# Lone surrogates (category Cs) are left out: they cannot be UTF-8, so no Arrow text (or export) holds one.
@given(st.lists(st.text(alphabet=st.one_of(st.sampled_from(list(NON_WORD_SYMBOLS)),
                                           st.characters(exclude_categories=("Cs",))), max_size=8),
                max_size=10))
def test_ascii_but_symbols_is_every_character_ascii_or_a_listed_symbol(values):
    import numpy as np
    import pyarrow as pa

    from lib.analysis.text import _ascii_but_symbols

    strings = pa.chunked_array([pa.array(values, pa.large_string())])
    expected = [all(c.isascii() or c in NON_WORD_SYMBOLS for c in v) for v in values]
    assert _ascii_but_symbols(strings, np.arange(len(values))).tolist() == expected
