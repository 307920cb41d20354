"""The benchmark's workspace: every generated export imported into a data directory of its own."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from bench.generate import BRAND_TERMS, KEYWORDS, Exports
from lib import importer, snapshots
from lib.readers import read_export
from lib.workspaces import Workspace, create_workspace

WORKSPACE_ID = "bench"


@dataclass
class BenchWorkspace:
    root: Path
    workspace: Workspace
    exports: Exports

    def snapshot(self, kind: str, target: str | None = None) -> snapshots.Snapshot:
        found = snapshots.latest_snapshot(WORKSPACE_ID, kind, target or self.workspace.own_domain, self.root)
        if found is None:
            raise LookupError(f"no {kind} snapshot in the bench workspace")
        return found

    def history(self, kind: str = "backlinks") -> list[snapshots.Snapshot]:
        return snapshots.list_snapshots(WORKSPACE_ID, kind, self.workspace.own_domain, self.root)


def build(exports: Exports, root: Path) -> BenchWorkspace:
    """A fresh data directory holding the demo (as every install has) and the bench workspace, opened first."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    # The app creates the demo on first start; creating it here keeps that out of every timed page run.
    importer.ensure_demo_workspace(root)
    workspace = create_workspace("Bench: Trailforge", exports.own_domain, exports.competitors, BRAND_TERMS,
                                 KEYWORDS, workspace_id=WORKSPACE_ID, root=root)
    own = exports.own_domain
    plan = [(exports.backlinks_previous, own, date.fromisoformat(exports.previous_date)),
            (exports.backlinks, own, date.fromisoformat(exports.data_date)),
            (exports.referring_domains, own, date.fromisoformat(exports.data_date)),
            (exports.anchors, own, date.fromisoformat(exports.data_date))]
    # Competitors' referring domains, as the gap page reads them.
    plan += [(path, site, date.fromisoformat(exports.data_date))
             for site, path in exports.gap.items() if site != own]
    for path, target, day in plan:
        outcomes = importer.import_bytes(workspace, Path(path).read_bytes(), Path(path).name, target_domain=target,
                                         data_date=day, root=root)
        failed = [o.error for o in outcomes if o.error]
        if failed:
            raise RuntimeError(f"{Path(path).name} did not import: {failed[0]}")
    return BenchWorkspace(root, workspace, exports)


def gap_frames(exports: Exports) -> dict[str, pd.DataFrame]:
    """The five referring-domain lists of the gap as canonical frames (site first)."""
    frames = {}
    for site, path in exports.gap.items():
        (table,) = read_export(Path(path).read_bytes(), Path(path).name)
        frames[site] = table.normalized.frame
    return frames
