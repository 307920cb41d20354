"""Text from files and web pages is made inert before Streamlit renders it as Markdown."""

from __future__ import annotations

import pytest

from ui.components import md_escape, md_message

JOINER = "\u2060"


def test_markdown_syntax_is_escaped():
    assert md_escape("[win](x) **b** <i> `c` $x$") == r"\[win\]\(x\) \*\*b\*\* \<i\> \`c\` \$x\$"
    assert md_message("[win](x) **b** <i> `c` $x$") == r"\[win\](x) \*\*b\*\* \<i\> \`c\` \$x\$"
    assert md_message("acme.com-backlinks (2).csv") == "acme.com-backlinks (2).csv"


@pytest.mark.parametrize("escape", [md_escape, md_message])
@pytest.mark.parametrize("text", ["https://evil.example/x", "see http://a.b", "www.evil.example", "me@evil.example"])
def test_bare_urls_and_addresses_cannot_become_autolinks(escape, text):
    inert = escape(text)
    # What the autolink rules look for is preceded by a word joiner, which they treat like a letter.
    # and the mark that makes it a link (":" of the scheme, "." after www, "@") is escaped.
    for start, escaped in (("http", "\\:"), ("www", "\\."), ("@", "\\@")):
        at = inert.find(escaped if start == "@" else start)
        if at >= 0:
            assert inert[at - 1] == JOINER
            assert escaped in inert[at:]
    assert inert.replace(JOINER, "").replace("\\", "") == text


def test_messages_keep_line_breaks_while_table_text_is_one_line():
    assert md_message("a\nb") == "a\nb"
    assert md_escape("a\n  b") == "a b"
