"""What changed between two snapshots of the same kind.

Backlinks snapshots are compared on their live links: a row Semrush flags lost (`lost_link`) counts
as absent, so a link present last month and flagged lost now is a lost backlink. A backlink is one
(source_url, target_url) pair; a referring domain is the registrable domain of
the source (`source_domain`). Anchors are compared after trimming, collapsing inner spaces and
lower-casing, so "Best  Grinder" and "best grinder" are one anchor; empty anchors are left out.

- gained / lost backlinks: rows of the newer (older) snapshot whose pair the other one lacks
- gained / lost referring domains: domains with links only in the newer (older) snapshot
- Authority Score changes: domains in both snapshots whose score moved; a domain's score is its
  `domain_ascore` in Referring Domains snapshots and the highest `page_ascore` of its links in
  Backlinks snapshots (the strongest page linking from it)
- appeared / vanished anchors: anchors used only in the newer (older) snapshot
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.arrow_strings import column_strings, pair_hashes, positions_in
from lib.frames import rows_at, sort_rows
from lib.parallel import beside

DIFFABLE_KINDS = ("backlinks", "referring_domains", "anchors")
_Codes = tuple[np.ndarray, pd.Index]  # (codes, names): each row's value as a position in names, -1 for none

# What a gained or lost backlink keeps (History's link tables and their downloads): taking all ~24 columns of
# the gained and lost rows cost ~0.2 s of a million-link diff.
LINK_COLUMNS = ["page_ascore", "source_domain", "source_url", "target_url", "anchor", "nofollow", "first_seen",
                "last_seen"]

_DOMAIN_COLUMNS = {"domain": "str", "backlinks": "Int64", "ascore": "Int64"}
_ASCORE_COLUMNS = {"domain": "str", "old_ascore": "Int64", "new_ascore": "Int64", "change": "Int64"}
_ANCHOR_COLUMNS = {"anchor": "str", "backlinks": "Int64", "domains": "Int64"}


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


@dataclass(frozen=True)
class SnapshotDiff:
    kind: str
    gained_backlinks: pd.DataFrame = field(default_factory=pd.DataFrame)
    lost_backlinks: pd.DataFrame = field(default_factory=pd.DataFrame)
    gained_domains: pd.DataFrame = field(default_factory=lambda: _empty(_DOMAIN_COLUMNS))
    lost_domains: pd.DataFrame = field(default_factory=lambda: _empty(_DOMAIN_COLUMNS))
    ascore_changes: pd.DataFrame = field(default_factory=lambda: _empty(_ASCORE_COLUMNS))
    appeared_anchors: pd.DataFrame = field(default_factory=lambda: _empty(_ANCHOR_COLUMNS))
    vanished_anchors: pd.DataFrame = field(default_factory=lambda: _empty(_ANCHOR_COLUMNS))
    old_backlinks: int = 0
    new_backlinks: int = 0
    old_domains: int = 0
    new_domains: int = 0

    @property
    def gained_pairs(self) -> set[tuple[str, str]]:
        return _pairs(self.gained_backlinks)

    @property
    def lost_pairs(self) -> set[tuple[str, str]]:
        return _pairs(self.lost_backlinks)


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    if frame.empty:
        return set()
    return set(zip(frame["source_url"], frame["target_url"]))


def link_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of its (source_url, target_url) pair, for fast membership tests.

    Backlinks snapshots carry it from their import (`link_key`), so a page comparing snapshots reads it instead
    of hashing a million URL pairs per snapshot (~0.15 s each). Frames without it (snapshots stored before it
    existed, frames built in code) or whose key column lost its type (a concat with such a snapshot) are
    hashed here. A missing URL counts as "".
    """
    if frame.empty:
        return np.empty(0, dtype="uint64")
    if "link_key" in frame.columns and frame["link_key"].dtype == np.uint64:
        return frame["link_key"].to_numpy()
    return pair_hashes(column_strings(frame["source_url"]), column_strings(frame["target_url"]))


# The characters str.split() splits on, of ASCII: an ASCII text normalises in Arrow exactly as in Python.
_ASCII_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f ]+"


def normalize_anchor(anchors: pd.Series) -> pd.Series:
    """Trimmed, single-spaced, lower-case anchors; each distinct text is normalised once."""
    codes, uniques = pd.factorize(anchors.fillna("").astype("str"), sort=False)
    distinct = pd.Series(uniques, dtype="str")
    # ASCII texts (nearly all) in Arrow; others through Python's str.split / str.lower, whose Unicode
    # whitespace and case rules Arrow does not share exactly.
    ascii_ = distinct.str.isascii().fillna(True).to_numpy(bool)
    cleaned = distinct.str.replace(_ASCII_SPACE, " ", regex=True).str.strip(" ").str.lower()
    if not ascii_.all():
        other = distinct[~ascii_]
        cleaned[~ascii_] = other.str.split().str.join(" ").str.lower()
    cleaned = cleaned.fillna("")
    return pd.Series(cleaned.to_numpy().take(codes) if len(codes) else [], index=anchors.index, dtype="str")


def diff_backlinks(old: pd.DataFrame, new: pd.DataFrame) -> SnapshotDiff:
    """Two Backlinks snapshots compared link by link, domain by domain and anchor by anchor."""
    # The comparisons read four columns of the live rows; whole rows (all ~24 columns) are taken only for
    # the gained and lost links, since filtering every column of a million rows costs more than the diff.
    # Hashes and codes are computed on whole columns and then picked at the live positions (numpy), since
    # an Arrow take of a million strings costs as much as hashing them.
    # The anchors are hashed and normalised on a second thread while this one compares links and domains:
    # neither needs the other until the anchor counts, and both are mostly Arrow and NumPy work.
    old_at, new_at = _live_positions(old), _live_positions(new)

    def links_and_domains() -> tuple[pd.DataFrame, pd.DataFrame, _Codes, _Codes, pd.DataFrame, pd.DataFrame]:
        old_only, new_only = _only_in_one(link_keys(old)[old_at], link_keys(new)[new_at])
        gained = rows_at(_link_columns(new), new_at[new_only])
        lost = rows_at(_link_columns(old), old_at[old_only])
        # Each snapshot's domain column factorised once, for both the domain and the anchor counts.
        old_codes, new_codes = _domain_codes(old), _domain_codes(new)
        return (gained, lost, old_codes, new_codes, _domains_of_links(old, old_at, old_codes),
                _domains_of_links(new, new_at, new_codes))

    (gained, lost, old_codes, new_codes, old_domains, new_domains), ((old_anchor_codes, new_anchor_codes), anchors) \
        = beside(links_and_domains, lambda: _anchor_codes(old, new))
    old_anchors = _anchors_of_links(old_at, old_codes, (old_anchor_codes, anchors))
    new_anchors = _anchors_of_links(new_at, new_codes, (new_anchor_codes, anchors))
    return SnapshotDiff(
        kind="backlinks",
        gained_backlinks=gained.reset_index(drop=True),
        lost_backlinks=lost.reset_index(drop=True),
        gained_domains=_only_in(new_domains, old_domains),
        lost_domains=_only_in(old_domains, new_domains),
        ascore_changes=_ascore_changes(old_domains, new_domains),
        appeared_anchors=_only_in_anchors(new_anchors, old_anchors),
        vanished_anchors=_only_in_anchors(old_anchors, new_anchors),
        old_backlinks=len(old_at), new_backlinks=len(new_at),
        old_domains=len(old_domains), new_domains=len(new_domains),
    )


def _only_in_one(old_keys: np.ndarray, new_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which old keys are not among the new ones, and which new keys not among the old: one hash table of
    both sides (two `isin` calls build and probe two, ~40% slower for a million links a side)."""
    codes, _ = pd.factorize(np.concatenate([old_keys, new_keys]))
    old_codes, new_codes = codes[:len(old_keys)], codes[len(old_keys):]
    size = int(codes.max()) + 1 if len(codes) else 0
    in_old = np.bincount(old_codes, minlength=size) > 0
    in_new = np.bincount(new_codes, minlength=size) > 0
    return ~in_new[old_codes], ~in_old[new_codes]


def _link_columns(links: pd.DataFrame) -> pd.DataFrame:
    return links[[c for c in LINK_COLUMNS if c in links]]


def _live_positions(links: pd.DataFrame) -> np.ndarray:
    """Row positions of the live links (not flagged lost)."""
    if "lost_link" not in links:
        return np.arange(len(links))
    return np.flatnonzero(~links["lost_link"].fillna(False).to_numpy(dtype=bool))


def diff_referring_domains(old: pd.DataFrame, new: pd.DataFrame) -> SnapshotDiff:
    """Two Referring Domains snapshots compared domain by domain."""
    old_domains, new_domains = _domains_of_refdomains(old), _domains_of_refdomains(new)
    return SnapshotDiff(
        kind="referring_domains",
        gained_domains=_only_in(new_domains, old_domains),
        lost_domains=_only_in(old_domains, new_domains),
        ascore_changes=_ascore_changes(old_domains, new_domains),
        old_backlinks=int(old["backlinks"].sum()), new_backlinks=int(new["backlinks"].sum()),
        old_domains=len(old_domains), new_domains=len(new_domains),
    )


def diff_anchors(old: pd.DataFrame, new: pd.DataFrame) -> SnapshotDiff:
    """Two Anchors snapshots compared anchor by anchor."""
    old_anchors, new_anchors = _anchors_of_anchor_export(old), _anchors_of_anchor_export(new)
    return SnapshotDiff(
        kind="anchors",
        appeared_anchors=_only_in_anchors(new_anchors, old_anchors),
        vanished_anchors=_only_in_anchors(old_anchors, new_anchors),
        old_backlinks=int(old["backlinks"].sum()), new_backlinks=int(new["backlinks"].sum()),
    )


def diff_snapshots(kind: str, old: pd.DataFrame, new: pd.DataFrame) -> SnapshotDiff:
    differs = {"backlinks": diff_backlinks, "referring_domains": diff_referring_domains, "anchors": diff_anchors}
    if kind not in differs:
        raise ValueError(f"snapshots of kind {kind!r} cannot be compared; use one of {DIFFABLE_KINDS}")
    return differs[kind](old, new)


def _domain_codes(links: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of the source domains, in name order (-1 for none), and the names."""
    codes, domains = pd.factorize(links["source_domain"], sort=True)
    return codes, pd.Index(domains)


def _domains_of_links(links: pd.DataFrame, at: np.ndarray,
                      domain_codes: tuple[np.ndarray, pd.Index] | None = None) -> pd.DataFrame:
    """domain (index) -> backlinks, ascore (highest page_ascore of its links), of the rows at positions `at`."""
    if not len(at):
        return _empty(_DOMAIN_COLUMNS).set_index("domain")
    # Grouped on sorted integer codes (as groupby(sort=True) on the names, without re-hashing them per aggregate).
    codes, domains = domain_codes or _domain_codes(links)
    codes = codes[at]
    valid = codes >= 0
    ascore = pd.Series(links["page_ascore"].array.take(at[valid])).groupby(codes[valid], sort=True).max()
    return pd.DataFrame({"backlinks": pd.array(np.bincount(codes[valid], minlength=len(domains))[ascore.index],
                                               dtype="Int64"),
                         "ascore": ascore.astype("Int64").array},
                        index=pd.Index(domains, dtype="str").take(ascore.index).rename("domain"))


def _domains_of_refdomains(refdomains: pd.DataFrame) -> pd.DataFrame:
    if refdomains.empty:
        return _empty(_DOMAIN_COLUMNS).set_index("domain")
    # One export can list a domain once per IP; sum its links and keep its score.
    grouped = refdomains.groupby("domain", sort=True)
    frame = pd.DataFrame({"backlinks": grouped["backlinks"].sum().astype("Int64"),
                          "ascore": grouped["domain_ascore"].max().astype("Int64")})
    frame.index = frame.index.astype("str").rename("domain")
    return frame


def _only_in(these: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    found = these[_missing_from(these.index, others.index)]
    return sort_rows(found.reset_index(), ["ascore", "backlinks", "domain"], [False, False, True]
                     ).reset_index(drop=True)


def _missing_from(these: pd.Index, others: pd.Index) -> np.ndarray:
    # A lookup in Arrow's hash table: Index.isin on Arrow strings is ~100x slower here, get_indexer ~4x.
    return positions_in(these, others) == -1


def _ascore_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    # Matched by one Arrow lookup of the names: an index join of 200,000 domains per side took ~0.1 s.
    at_new = positions_in(old.index, new.index)
    in_both = np.flatnonzero(at_new >= 0)
    old_ascore = old["ascore"].array.take(in_both)
    new_ascore = new["ascore"].array.take(at_new[in_both])
    change = (new_ascore - old_ascore).astype("Int64")
    moved = (change != 0).to_numpy(dtype=bool, na_value=False)  # a score missing on either side is no move
    if not moved.any():
        return _empty(_ASCORE_COLUMNS)
    both = pd.DataFrame({"domain": old.index.take(in_both[moved]), "old_ascore": old_ascore[moved],
                         "new_ascore": new_ascore[moved], "change": change[moved]})
    # Largest moves first; ties by domain name, so the order is the same on every run.
    both = both.assign(_size=both["change"].abs()).sort_values(["_size", "domain"], ascending=[False, True])
    return both.drop(columns="_size")[list(_ASCORE_COLUMNS)].reset_index(drop=True)


def _anchor_codes(*frames: pd.DataFrame) -> tuple[list[np.ndarray], pd.Index]:
    """Each row's normalised anchor as an integer code, per frame, into one sorted list of anchors shared by
    the frames; each distinct raw text is normalised once, however many frames use it."""
    # One Arrow hash table over the chunks of every frame: its codes are shared by all of them (factorising
    # each frame, then matching their distinct texts, hashed the texts again).
    columns = [column_strings(frame["anchor"]) for frame in frames]
    chunks = [c.cast(pa.large_string()) for column in columns for c in column.chunks]
    encoded = pc.dictionary_encode(pa.chunked_array(chunks, type=pa.large_string()), null_encoding="encode")
    if not encoded.num_chunks:  # no rows at all
        return [np.zeros(0, dtype=np.int64) for _ in frames], pd.Index([], dtype="str")
    if any(len(chunk.dictionary) != len(encoded.chunks[-1].dictionary) for chunk in encoded.chunks):
        encoded = pa.table({"anchor": encoded}).unify_dictionaries().column(0)  # (Arrow shares it already)
    raw = pd.Series(pd.array(encoded.chunks[-1].dictionary, dtype="str")).fillna("")  # a missing anchor is ""
    anchor_codes_of_raw, anchors = pd.factorize(normalize_anchor(raw), sort=True)
    raw_codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks])
    row_codes = anchor_codes_of_raw.take(raw_codes.astype(np.int64, copy=False))
    bounds = np.cumsum([0, *(len(column) for column in columns)])
    return [row_codes[start:stop] for start, stop in zip(bounds[:-1], bounds[1:])], pd.Index(anchors, dtype="str")


def _anchors_of_links(at: np.ndarray, domain_codes: tuple[np.ndarray, pd.Index],
                      anchor_codes: tuple[np.ndarray, pd.Index]) -> pd.DataFrame:
    """anchor (index) -> backlinks, domains, of the rows at positions `at`, from the rows' codes."""
    if not len(at):
        return _empty(_ANCHOR_COLUMNS).set_index("anchor")
    # Links are counted on the integer codes, and distinct domains as distinct (anchor, domain) code pairs.
    codes, anchors = anchor_codes
    codes = codes[at]
    domain_codes, domains = domain_codes
    domain_codes = domain_codes[at]
    empty = 0 if len(anchors) and anchors[0] == "" else -1  # "" sorts first
    keep = codes != empty
    n = len(anchors)
    backlinks = np.bincount(codes[keep], minlength=n)
    with_domain = keep & (domain_codes >= 0)
    pairs = pd.unique(codes[with_domain].astype("int64") * (len(domains) + 1) + domain_codes[with_domain])
    distinct = np.bincount(pairs // (len(domains) + 1), minlength=n)
    present = np.flatnonzero(backlinks > 0)
    return pd.DataFrame({"backlinks": pd.array(backlinks[present], dtype="Int64"),
                         "domains": pd.array(distinct[present], dtype="Int64")},
                        index=anchors.take(present).rename("anchor"))


def _anchors_of_anchor_export(anchors: pd.DataFrame) -> pd.DataFrame:
    if anchors.empty:
        return _empty(_ANCHOR_COLUMNS).set_index("anchor")
    frame = pd.DataFrame({"anchor": normalize_anchor(anchors["anchor"]), "backlinks": anchors["backlinks"],
                          "domains": anchors["domains"]})
    frame = frame[frame["anchor"] != ""]
    grouped = frame.groupby("anchor", sort=True)
    result = pd.DataFrame({"backlinks": grouped["backlinks"].sum().astype("Int64"),
                           "domains": grouped["domains"].sum().astype("Int64")})
    result.index = result.index.astype("str")
    return result


def _only_in_anchors(these: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    found = these[_missing_from(these.index, others.index)].reset_index()
    if found.empty:
        return _empty(_ANCHOR_COLUMNS)
    return sort_rows(found, ["backlinks", "anchor"], [False, True]).reset_index(drop=True)
