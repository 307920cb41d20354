"""A consistent backup of the data directory, safe to take while the app is running.

Copying `linkscope.db` by hand while the app writes can catch it between its WAL and main file; SQLite's own
backup API copies a consistent state instead. Snapshot files are immutable once written (a new import writes
a new file), so copying them is safe. The API cache is left out: it holds nothing that cannot be fetched
again, and it can be large.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from lib import db

SKIPPED = ("cache",)  # top-level folders of the data directory a backup leaves out


def backup(destination: Path, root: Path | None = None) -> Path:
    """Write `linkscope-backup-<UTC time>.zip` into `destination`; returns its path.

    The archive unpacks into an empty directory that works as a data directory (LINKSCOPE_DATA_DIR).
    """
    source = root or db.data_dir()
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = destination / f"linkscope-backup-{stamp}.zip"
    partial = target.with_suffix(".zip.partial")
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        if (source / db.DB_NAME).exists():
            copy = Path(scratch) / db.DB_NAME
            with closing(db.connect(source)) as live, closing(sqlite3.connect(copy)) as out:
                live.backup(out)
            archive.write(copy, db.DB_NAME)
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if (path.is_file() and relative.parts[0] not in SKIPPED and not relative.name.startswith(db.DB_NAME)
                    and not any(part.endswith(".tmp") for part in relative.parts)):
                archive.write(path, relative.as_posix())
    partial.replace(target)  # a backup that stopped halfway never looks like a finished one
    return target
