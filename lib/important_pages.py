"""The pages of a site its owner cares most about, per workspace; lost links to them are shown apart."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lib.url_sets import UrlSet

PAGES = UrlSet("important_pages")


def list_pages(workspace_id: str, root: Path | None = None) -> list[str]:
    return PAGES.urls(workspace_id, root)


def add_pages(workspace_id: str, urls: Iterable[str], root: Path | None = None) -> None:
    PAGES.add(workspace_id, urls, root)


def remove_pages(workspace_id: str, urls: Iterable[str], root: Path | None = None) -> None:
    PAGES.remove(workspace_id, urls, root)


def apply_change(workspace_id: str, before: Iterable[str], after: Iterable[str], root: Path | None = None) -> None:
    """Store what one edit of the list did: URLs added and removed since `before`, nothing else."""
    PAGES.apply_change(workspace_id, before, after, root)
