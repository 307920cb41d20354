import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.analysis.anchors import AnchorContext, classify_anchor, classify_anchors, exact_match_mask

CONTEXT = AnchorContext("alpinebrew.com", ("alpine brew",), ("coffee grinder", "pour over kettle"))


@pytest.mark.parametrize("anchor, expected", [
    ("", "empty"),
    ("   ", "empty"),
    ("[image]", "empty"),
    ("https://alpinebrew.com/", "naked_url"),
    ("www.alpinebrew.com/shop", "naked_url"),
    ("alpinebrew.com", "naked_url"),
    ("Alpine Brew", "brand"),
    ("the Alpine Brew team", "brand"),
    ("AlpineBrew shop", "brand"),
    ("Coffee Grinder", "exact_match"),
    ("coffee  grinder!", "exact_match"),
    ("best coffee grinder 2025", "partial_match"),
    ("grinder reviews", "partial_match"),
    ("pour over guide", "partial_match"),
    ("click here", "generic"),
    ("Read more", "generic"),
    ("my morning routine", "other"),
])
def test_each_rule(anchor, expected):
    assert classify_anchor(anchor, CONTEXT) == expected


def test_without_keywords_or_brand_nothing_is_keyword_or_brand():
    bare = AnchorContext()
    assert classify_anchor("coffee grinder", bare) == "other"
    assert classify_anchor("Alpine Brew", bare) == "other"


def test_vectorised_keeps_index_and_matches_the_scalar_rule():
    anchors = pd.Series(["Alpine Brew", None, "coffee grinder", "Alpine Brew"], index=[10, 11, 12, 13])
    result = classify_anchors(anchors, CONTEXT)
    assert result.to_dict() == {10: "brand", 11: "empty", 12: "exact_match", 13: "brand"}
    assert classify_anchors(pd.Series([], dtype="str"), CONTEXT).empty


def test_exact_match_mask_agrees_with_the_full_classification():
    anchors = pd.Series(["Coffee Grinder", "coffee  grinder!", " POUR over Kettle ", "Pour-over kettle",
                         "COFFEE GRINDER", "Coffee Grinder Alpine Brew", "coffeegrinder.com", "grinder coffee",
                         "Ｃoffee Grinder", "KETTLE pour over", "pour over kettle\u00a0", "Coffee Grinder", None, "",
                         "other", "coffee_grinder", "(coffee) grinder.", "coffee grinders", "my coffee grinder",
                         "kettle"], index=range(10, 30))
    expected = (classify_anchors(anchors, CONTEXT) == "exact_match").to_numpy()
    assert expected.sum() == 9  # guards the fixture: it must hold exact matches, written in several ways
    assert exact_match_mask(anchors, CONTEXT).tolist() == expected.tolist()
    # Without target keywords nothing is an exact match.
    assert not exact_match_mask(anchors, AnchorContext("alpinebrew.com", ("alpine brew",))).any()


# Texts built from the pieces the rules look at (keywords, brand, stock phrases, URL parts) and from characters
# where Python and Arrow could disagree: other white space, control characters, non-ASCII letters whose
# lower-casing or word status differs (İ, ı, ſ, the Kelvin sign, ß), a non-breaking space, dashes.
_PIECES = ["coffee", "grinder", "Coffee", "GRINDER", "pour", "over", "kettle", "the", "best", "alpine", "brew",
           "Alpine Brew", "alpinebrew", "ab", "click here", "read more", "here", "www.", "https://", ".com", "/shop",
           "example", "-", "_", ".", " ", "  ", "\t", "\n", "\x0b", "\x1c", "!", "(", ")", "[image]", "img",
           "é", "İ", "ı", "ſ", "\u212a", "ß", "\u00a0", "—", "ＣOFFEE", "2025", "s"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), max_size=40),
       st.sampled_from([
           AnchorContext("alpinebrew.com", ("alpine brew",), ("coffee grinder", "pour over kettle")),
           AnchorContext("ab.io", ("AB",), ("the best", "coffee", "over over kettle")),
           AnchorContext("", (), ("café grinder", "kettle")),
           AnchorContext(),
       ]))
@settings(max_examples=300, deadline=None)
def test_every_text_gets_the_label_of_the_one_text_rules(texts, context):
    anchors = pd.Series(texts, dtype="str")
    assert classify_anchors(anchors, context).tolist() == [classify_anchor(t, context) for t in texts]
