"""Small shared pieces: empty states, metric rows, import reports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.importer import ImportOutcome
from lib.schema import KINDS


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    delta_color: str = "normal"


def metric_row(metrics: Sequence[Metric]) -> None:
    for column, metric in zip(st.columns(len(metrics)), metrics):
        column.metric(metric.label, metric.value, metric.delta, help=metric.help, delta_color=metric.delta_color,
                      border=True)


def needs_data(*kinds: str, why: str = "") -> None:
    """The empty state of a page: which Semrush export to upload, or which API report to fetch."""
    wanted = " or ".join(f"**{KINDS[k].label}** ({KINDS[k].hint})" for k in kinds)
    st.info(f"{why + ' ' if why else ''}This page needs a Semrush {wanted} export for this workspace. "
            "Upload it on the Data page, or fetch it there with your Semrush API key.", icon=":material/info:")
    st.page_link("pages/data.py", label="Go to Data & settings", icon=":material/upload_file:")


def import_report(outcome: ImportOutcome) -> None:
    if outcome.error:
        st.error(md_message(outcome.error), icon=":material/error:")
        return
    if outcome.duplicate_of:
        st.info(f"**{md_message(outcome.name)}**: {outcome.label} export, {outcome.rows:,} rows. "
                + md_message(" ".join(outcome.notes)),
                icon=":material/content_copy:")
        return
    snap = outcome.snapshot
    # File names, member names and domains come from the files: quoted inert, never as links or markup.
    text = (f"**{md_message(outcome.name)}**: {outcome.label} export for **{md_message(snap.target_domain)}**, "
            f"{outcome.rows:,} rows, "
            f"data of {snap.data_date:%d %b %Y}.")
    problems = outcome.problems
    if problems.rejected_total or problems.unreadable_total or outcome.notes:
        details = []
        if problems.rejected_total:
            details.append(f"{problems.rejected_total:,} rows could not be used and were left out")
        if problems.unreadable_total:
            details.append(f"{problems.unreadable_total:,} cells could not be read and were left empty")
        notes = [md_message(note) for note in outcome.notes]
        st.warning(text + " " + "; ".join(details + notes) + ".", icon=":material/warning:")
        listed = [dict(p.as_dict(), what="row left out") for p in problems.rejected] + \
                 [dict(p.as_dict(), what="cell left empty") for p in problems.unreadable_cells]
        if listed:
            with st.expander(f"Problems in {md_message(outcome.name)}, by line"):
                st.dataframe(pd.DataFrame(listed), hide_index=True)
    else:
        st.success(text, icon=":material/check_circle:")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Fewer marks for messages: what is left (".", "-", "(", ":") does nothing without the escaped ones around it,
# so ordinary file names stay readable in the message's source too.
_MESSAGE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
# GitHub-flavoured Markdown links bare URLs, "www." names and e-mail addresses twice over: while parsing
# (stopped by an escaped ":" / "." / "@") and again on the text after escapes are resolved (stopped by an
# invisible WORD JOINER in front, which its rules treat like a letter). Both are applied where such a link
# would start (run on text whose other marks are already escaped); the text reads the same and is no link.
_AUTOLINK_STARTS = (
    (re.compile(r"(?i)(https?)\\?:"), "\u2060\\1\\:"),
    (re.compile(r"(?i)(www)\\?\."), "\u2060\\1\\."),
    (re.compile(r"\\?@"), "\u2060\\@"),
)


def _no_autolinks(escaped: str) -> str:
    for pattern, replacement in _AUTOLINK_STARTS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def _inert(text: str) -> str:
    return _no_autolinks(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


def md_escape(text: object) -> str:
    """Text from other people's pages (anchors, titles, domains) made inert inside st.markdown / captions."""
    return _inert(" ".join(str(text).split()))


def md_message(text: object) -> str:
    """A message quoting file names or file contents, inert in Markdown: no links, HTML, emphasis, colours or
    LaTeX from the quoted text, while ordinary names such as acme.com-backlinks.csv read unchanged."""
    return _no_autolinks(_MESSAGE_SPECIAL.sub(r"\\\1", str(text)))


MARK_COLUMN = "your_mark"


def with_marks(frame: pd.DataFrame, *, workspace_id: str, domain_column: str = "domain") -> pd.DataFrame:
    """`frame` with a "your_mark" column: the Good / Review marks set on Referring domains, shown on later screens.

    Remembered per frame object and marks version, so a page that hands the same cached frame on every rerun
    gets the same marked frame back (and its table's own per-frame work stays remembered too).
    """
    from lib import marks
    from ui import state
    from ui.tables import remembered

    root = state.data_root()
    stamp = marks.marks_version(workspace_id, root)

    def add_marks() -> pd.DataFrame:
        stored = marks.marks_for(workspace_id, root)
        labels = stored.drop_duplicates("domain").set_index("domain")["mark"].map(marks.MARK_LABELS)
        mapped = frame[domain_column].map(labels).astype(object)  # all NaN (float) when nothing is marked
        return frame.assign(**{MARK_COLUMN: mapped.where(mapped.notna(), "").astype("str")})

    return remembered(frame, ("marks", workspace_id, str(root), stamp, domain_column), add_marks)


def mark_column_config() -> dict:
    return {MARK_COLUMN: st.column_config.TextColumn("Your mark", help="Set on the Referring domains page")}
