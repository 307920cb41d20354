"""From export bytes (or an API answer) to snapshots in a workspace.

An upload is read completely before anything is written, so a file that fails leaves the
workspace exactly as it was. The same content imported twice is recognised and skipped.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from lib import snapshots
from lib.normalize import Normalized, Problems
from lib.readers import ExportError, ExportFile, read_export
from lib.workspaces import Workspace, create_workspace, delete_workspace, get_setting, list_workspaces, set_setting

# The largest file an import reads: server.maxUploadSize (MB) in .streamlit/config.toml, in bytes.
# the uploader refuses bigger files in the browser; this guard covers every other caller.
MAX_IMPORT_BYTES = 600 * 2**20

# Kinds whose rows name the site they are about (target URLs); the others need to be told.
_TARGETED = {"backlinks": "target_host", "audit": "target_url", "indexed_pages": "target_url"}


@dataclass
class ImportOutcome:
    name: str
    kind: str | None = None
    label: str = ""
    rows: int = 0
    snapshot: snapshots.Snapshot | None = None
    problems: Problems = field(default_factory=Problems)
    error: str = ""  # the file could not be read at all
    duplicate_of: snapshots.Snapshot | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


def content_hash(data: bytes, name: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(name.rsplit("/", 1)[-1].encode())
    return digest.hexdigest()


def infer_target(workspace: Workspace, table: ExportFile) -> str:
    """Which of the workspace's domains a table is about: its target URLs, else its file name, else the site."""
    from lib.domains import hosts, registrable_domains

    frame = table.normalized.frame
    column = _TARGETED.get(table.normalized.kind.name)
    if column and len(frame):
        values = frame[column] if column == "target_host" else hosts(frame[column])
        # The most common registrable domain of the rows (ties: the first to appear, by a stable sort), counted
        # per distinct host first: a million rows name a few hosts, and each row's text is hashed once, not twice.
        per_host = values.value_counts(sort=False)
        per_host = per_host[per_host.index != ""]
        if len(per_host):
            names = registrable_domains(pd.Series(per_host.index, dtype="str")).to_numpy()
            per_domain = per_host.groupby(names, sort=False).sum()
            return str(per_domain.sort_values(ascending=False, kind="stable").index[0])
    lowered = table.name.lower()
    by_length = sorted(workspace.domains, key=len, reverse=True)
    for domain in by_length:
        if domain in lowered:
            return domain
    return workspace.own_domain


def import_bytes(workspace: Workspace, data: bytes, name: str, *, target_domain: str | None = None,
                 source: str = "upload", data_date: date | None = None, root: Path | None = None,
                 max_bytes: int | None = None) -> list[ImportOutcome]:
    """Read a whole export, then keep each of its tables as a snapshot; a file that fails changes nothing.

    `max_bytes` defaults to MAX_IMPORT_BYTES.
    """
    limit = MAX_IMPORT_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        return [ImportOutcome(name=name, error=f"{name} is {_megabytes(len(data))}, more than the "
                                               f"{_megabytes(limit)} Linkscope imports at once; nothing was "
                                               "imported. Export fewer rows or split the export.")]
    # SHA-256 releases the GIL: hash on a second core while the file is parsed (~0.2 s per 250 MB).
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(content_hash, data, name)
        try:
            tables = read_export(data, name)
        except ExportError as error:
            return [ImportOutcome(name=name, error=str(error))]
        file_hash = hashing.result()
    outcomes = []
    for index, table in enumerate(tables):
        digest = file_hash + (f":{index}" if len(tables) > 1 else "")
        outcome = _store(workspace, table, digest, target_domain, source, data_date, root)
        if table.encoding == "cp1252" and table.name == name:
            outcome.notes.extend(_mixed_encoding_note(data))
        outcomes.append(outcome)
    return outcomes


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mixed_encoding_note(data: bytes) -> list[str]:
    """A file that is UTF-8 in places but not throughout was read as Windows-1252: say where and what it costs."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            line = data.count(b"\n", 0, error.start) + 1
            return [f"The file mixes text encodings (line {line} is not UTF-8), so it was read as Windows-1252 and "
                    "accented letters written as UTF-8 may look garbled; re-save the file as UTF-8"]
    return []


def _store(workspace: Workspace, table: ExportFile, digest: str, target_domain: str | None, source: str,
           data_date: date | None, root: Path | None) -> ImportOutcome:
    normalized = table.normalized
    outcome = ImportOutcome(name=table.name, kind=normalized.kind.name, label=normalized.kind.label,
                            rows=len(normalized.frame), problems=normalized.problems)
    if not len(normalized.frame):
        # An empty snapshot would become the workspace's latest data and blank every page.
        outcome.error = _no_rows_message(table.name, normalized)
        return outcome
    existing = snapshots.find_by_hash(workspace.id, digest, root)
    if existing:
        outcome.duplicate_of = existing
        outcome.notes.append(f"Already imported on {existing.imported_at[:10]}; nothing changed.")
        return outcome
    target = target_domain or infer_target(workspace, table)
    if target not in workspace.domains:
        outcome.notes.append(f"This export is about {target}, which is not this workspace's site or a competitor.")
    outcome.snapshot = store_normalized(
        workspace, normalized, target_domain=target, source=source, source_name=table.name,
        data_date=data_date or snapshots.data_date_of(normalized.frame, table.date_hint), content_hash=digest,
        root=root,
    )
    return outcome


def _megabytes(size: int) -> str:
    if size < 2**20:
        return f"{size:,} bytes"
    return f"{size / 2**20:,.1f} MB" if size < 10 * 2**20 else f"{size / 2**20:,.0f} MB"


def _no_rows_message(name: str, normalized: Normalized) -> str:
    problems = normalized.problems
    label = normalized.kind.label
    if not problems.rejected_total:
        return f"{name} is a Semrush {label} export with column headers but no rows; nothing was imported."
    shown = "; ".join(f"line {p.line}: {p.reason}" for p in problems.rejected[:3])
    more = f" and {problems.rejected_total - 3:,} more" if problems.rejected_total > 3 else ""
    rows = "its only row" if problems.rejected_total == 1 else f"none of its {problems.rejected_total:,} rows"
    verb = "could not be used" if problems.rejected_total == 1 else "could be used"
    return f"{name} is a Semrush {label} export, but {rows} {verb} ({shown}{more}); nothing was imported."


def store_normalized(workspace: Workspace, normalized: Normalized, *, target_domain: str, source: str,
                     source_name: str, data_date: date | None = None, content_hash: str = "",
                     root: Path | None = None) -> snapshots.Snapshot:
    """Keep one canonical table (from a file or the API) as a snapshot of the workspace."""
    return snapshots.save_snapshot(
        workspace.id, normalized.kind.name, normalized.frame, target_domain=target_domain, source=source,
        source_name=source_name, data_date=data_date or snapshots.data_date_of(normalized.frame),
        rejected=normalized.problems.rejected_total, unreadable=normalized.problems.unreadable_total,
        content_hash=content_hash, compared_domains=normalized.compared_domains, root=root,
    )


def demo_workspace(root: Path | None = None) -> Workspace | None:
    return next((w for w in list_workspaces(root) if w.is_demo), None)


DEMO_COMPLETE = "demo_complete"  # workspace setting written after the demo's last export is in


def ensure_demo_workspace(root: Path | None = None, today: date | None = None) -> Workspace:
    """The built-in demo workspace, created on first start from generated Semrush exports.

    It counts as there only once every export is in: a start that stopped halfway (killed, or a file that
    did not import) leaves no flag, and the next start builds the demo again from scratch.
    """
    existing = demo_workspace(root)
    if existing and get_setting(existing.id, DEMO_COMPLETE, False, root):
        return existing
    if existing:
        remove_workspace(existing.id, root)
    from lib.demo import DEMO_SITE, write_demo_exports

    workspace = create_workspace(DEMO_SITE.name, DEMO_SITE.own_domain, DEMO_SITE.competitors,
                                 DEMO_SITE.brand_terms, DEMO_SITE.target_keywords, is_demo=True,
                                 workspace_id="demo", root=root)
    with tempfile.TemporaryDirectory(prefix="linkscope-demo-") as tmp:
        for demo_file in write_demo_exports(Path(tmp), today):
            data = demo_file.path.read_bytes()
            outcomes = import_bytes(workspace, data, demo_file.path.name, target_domain=demo_file.target_domain,
                                    source="demo", data_date=demo_file.data_date, root=root)
            failed = [o.error for o in outcomes if o.error]
            if failed:
                raise RuntimeError(f"demo export {demo_file.path.name} did not import: {failed[0]}")
    set_setting(workspace.id, DEMO_COMPLETE, True, root)
    return workspace


def reset_demo_workspace(root: Path | None = None) -> Workspace:
    existing = demo_workspace(root)
    if existing:
        remove_workspace(existing.id, root)
    return ensure_demo_workspace(root)


def remove_workspace(workspace_id: str, root: Path | None = None) -> None:
    delete_workspace(workspace_id, root)
    snapshots.delete_workspace_files(workspace_id, root)


def current_frame(workspace: Workspace, kind: str, target_domain: str | None = None,
                  root: Path | None = None) -> pd.DataFrame | None:
    snapshot = snapshots.latest_snapshot(workspace.id, kind, target_domain or workspace.own_domain, root)
    return snapshots.load_frame(snapshot, root) if snapshot else None
