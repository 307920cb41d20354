"""extract_first runs regexes in Arrow where it can, and always answers as pandas' str.extract (Python's re)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.analysis.text import extract_first

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
