"""What a report reads from a workspace: its latest snapshots, loaded once and shared by the sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from lib import snapshots
from lib.workspaces import Workspace


@dataclass
class Inputs:
    workspace: Workspace
    root: Path | None
    today: date
    backlinks_history: list[snapshots.Snapshot]  # the site's Backlinks snapshots, oldest first
    refdomains_snapshot: snapshots.Snapshot | None
    anchors_snapshot: snapshots.Snapshot | None
    _frames: dict[int, pd.DataFrame] = field(default_factory=dict, repr=False)

    def frame(self, snapshot: snapshots.Snapshot | None) -> pd.DataFrame | None:
        if snapshot is None:
            return None
        if snapshot.id not in self._frames:
            self._frames[snapshot.id] = snapshots.load_frame(snapshot, self.root)
        return self._frames[snapshot.id]

    @property
    def backlinks_snapshot(self) -> snapshots.Snapshot | None:
        return self.backlinks_history[-1] if self.backlinks_history else None

    @property
    def backlinks(self) -> pd.DataFrame | None:
        return self.frame(self.backlinks_snapshot)

    @property
    def refdomains(self) -> pd.DataFrame | None:
        return self.frame(self.refdomains_snapshot)

    @property
    def data_date(self) -> date | None:
        """The date of the newest data about the site (Backlinks or Referring Domains)."""
        held = [s.data_date for s in (self.backlinks_snapshot, self.refdomains_snapshot) if s is not None]
        return max(held) if held else None


def read_inputs(workspace: Workspace, root: Path | None, today: date) -> Inputs:
    own = workspace.own_domain
    return Inputs(
        workspace=workspace, root=root, today=today,
        backlinks_history=snapshots.list_snapshots(workspace.id, "backlinks", own, root),
        refdomains_snapshot=snapshots.latest_snapshot(workspace.id, "referring_domains", own, root),
        anchors_snapshot=snapshots.latest_snapshot(workspace.id, "anchors", own, root),
    )
