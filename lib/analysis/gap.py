"""Backlink gap: which referring domains link to you and to up to four competitors, and Semrush's categories.

One canonical gap frame, whether it comes from a Semrush Backlink Gap export (long form: one row per
referring domain x compared domain, see lib.normalize) or is computed from each domain's Referring Domains
snapshot. Everything is vectorised: the domains are factorised once and the backlinks land in a
(domains x compared domains) matrix, so five lists of 200,000 referring domains take a fraction of a second.

Categories follow Semrush's Backlink Gap tabs. Like those tabs they overlap (a domain linking only to you is
both "strong" and "unique"), so each is a boolean column; `categories` lists the ones that apply.

| category | definition |
| --- | --- |
| best | links to every competitor but not to you |
| weak | links to you, but with fewer backlinks than to at least one competitor |
| strong | links to you and to none of the competitors |
| shared | links to every compared domain, you included |
| unique | links to exactly one of the compared domains (you or one competitor) |
| opportunity | links to at least one competitor but not to you (Linkscope's list of prospects; best included) |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from lib.analysis.risk import RISKY_SCORE, LinkDomains
from lib.arrow_strings import as_flags, column_strings, positions_in
from lib.frames import first_rows_by_code, labels_by_code, max_by_code, values_at

MAX_COMPETITORS = 4
YOU = "backlinks_you"
_LIST_FACTS = ("ip", "country", "first_seen")  # what risk scoring reads from the compared domains' lists


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    definition: str
    semrush: bool = True  # one of Semrush's Backlink Gap tabs


CATEGORIES: tuple[Category, ...] = (
    Category("best", "Best", "Links to every competitor but not to you: the strongest prospects."),
    Category("weak", "Weak", "Links to you, but with fewer backlinks than to at least one competitor."),
    Category("strong", "Strong", "Links to you and to none of the competitors: your advantage."),
    Category("shared", "Shared", "Links to every compared domain, you included."),
    Category("unique", "Unique", "Links to exactly one of the compared domains (you or one competitor)."),
    Category("opportunity", "Opportunity",
             "Links to at least one competitor but not to you: every prospect, Best included "
             "(Linkscope's list, not a Semrush tab).", semrush=False),
)
CATEGORY_LABELS = {c.code: c.label for c in CATEGORIES}
CATEGORY_CODES = tuple(CATEGORY_LABELS)
_SEMRUSH = tuple(c.code for c in CATEGORIES if c.semrush)
# Extra columns some exports carry (kept by lib.normalize as strings); the first found is organic traffic.
TRAFFIC_COLUMNS = ("organic_traffic", "traffic", "domain_traffic", "organic_traffic_estimate")


class GapError(ValueError):
    """A gap cannot be built from the data given; the message says what is missing."""


@dataclass(frozen=True)
class Gap:
    """The canonical gap frame plus which compared domain each backlinks column belongs to."""

    frame: pd.DataFrame
    you: str
    competitors: tuple[str, ...]
    source: str  # "gap export" or "referring domains"
    notes: tuple[str, ...] = field(default=())
    # Per row of `frame` (same index), from the lists compared (you first): the IP, country and first-seen date
    # of the first list row naming the row's registrable domain, as risk_facts would look them up in those
    # lists. None for a Backlink Gap export, which has no IPs.
    list_facts: pd.DataFrame | None = None

    @property
    def domains(self) -> tuple[str, ...]:
        return (self.you, *self.competitors)

    @property
    def backlink_columns(self) -> tuple[str, ...]:
        return (YOU, *(f"backlinks_c{i}" for i in range(1, len(self.competitors) + 1)))

    @property
    def column_labels(self) -> dict[str, str]:
        """Backlinks column -> the compared domain it counts, for tables and downloads."""
        return {col: (f"{d} (you)" if i == 0 else d)
                for i, (col, d) in enumerate(zip(self.backlink_columns, self.domains))}


def definitions_table() -> pd.DataFrame:
    """The category definitions, as the page shows them."""
    return pd.DataFrame([{"category": c.label, "definition": c.definition,
                          "Semrush tab": "yes" if c.semrush else "no"} for c in CATEGORIES])


def _traffic(frame: pd.DataFrame) -> pd.Series | None:
    for name in TRAFFIC_COLUMNS:
        if name in frame.columns:
            text = frame[name].astype("str").str.replace(r"[,\s]", "", regex=True)
            return pd.to_numeric(text, errors="coerce")
    return None


def _build(domain: pd.Series, root: pd.Series, member: np.ndarray, backlinks: np.ndarray, ascore: pd.Series,
           traffic: pd.Series | None, you: str, competitors: tuple[str, ...], source: str,
           notes: tuple[str, ...], factorized: tuple[np.ndarray, pd.Index] | None = None) -> Gap:
    """Rows of (referring domain, compared domain index, backlinks) -> the canonical frame."""
    codes, uniques = factorized if factorized is not None else pd.factorize(domain, sort=False)
    keep = codes >= 0
    if not keep.all():
        codes, member, backlinks = codes[keep], member[keep], backlinks[keep]
        ascore, root = ascore[keep], root[keep]
    n, k = len(uniques), len(competitors) + 1
    matrix = np.bincount(codes * k + member, weights=backlinks, minlength=n * k).reshape(n, k).astype(np.int64)
    # An export row with 0 backlinks to a compared domain means it does not link there.
    linked = matrix > 0
    scores = max_by_code(codes, ascore.to_numpy(dtype="float64", na_value=np.nan), n)
    first = first_rows_by_code(codes, n)
    out = {
        "domain": pd.Series(uniques, dtype="str").array,
        # take() keeps Arrow-backed strings in Arrow: no Python objects for a million names.
        "root_domain": pd.Series(root, dtype="str").array.take(first),
        "domain_ascore": pd.array(np.round(scores), dtype="Int64"),
    }
    for i, column in enumerate((YOU, *(f"backlinks_c{j}" for j in range(1, k)))):
        out[column] = matrix[:, i]
    frame = pd.DataFrame(out)
    if traffic is not None:
        frame["organic_traffic"] = max_by_code(codes, traffic.to_numpy(dtype="float64", na_value=np.nan)[keep], n)
    frame = pd.concat([frame, categorize(linked, matrix)], axis=1)
    return Gap(frame, you, competitors, source, notes)


def categorize(linked: np.ndarray, backlinks: np.ndarray) -> pd.DataFrame:
    """Category flags from who links (column 0 is you) and how many backlinks each gets."""
    own = linked[:, 0]
    others = linked[:, 1:]
    n_comp = others.shape[1]
    linked_comp = others.sum(axis=1)
    most_to_a_competitor = backlinks[:, 1:].max(axis=1) if n_comp else np.zeros(len(own), dtype=np.int64)
    flags = {
        "best": ~own & (linked_comp == n_comp),
        "weak": own & (backlinks[:, 0] < most_to_a_competitor),
        "strong": own & (linked_comp == 0),
        "shared": own & (linked_comp == n_comp),
        "unique": (own.astype(np.int64) + linked_comp) == 1,
        "opportunity": ~own & (linked_comp >= 1),
    }
    frame = pd.DataFrame({"competitors_linked": linked_comp.astype(np.int64), "links_to_you": own,
                          "competitor_backlinks": backlinks[:, 1:].sum(axis=1).astype(np.int64), **flags})
    frame["categories"] = _labels(flags)
    return frame


def _labels(flags: Mapping[str, np.ndarray]) -> pd.Series:
    """"Best, Unique" per row, built once per distinct combination of flags."""
    mask = np.zeros(len(next(iter(flags.values()))), dtype=np.int64)
    for bit, code in enumerate(_SEMRUSH):
        mask |= flags[code].astype(np.int64) << bit
    codes, uniques = pd.factorize(mask, sort=False)
    names = [", ".join(CATEGORY_LABELS[c] for b, c in enumerate(_SEMRUSH) if m >> b & 1) for m in uniques]
    return pd.Series(pd.array(names, dtype="str").take(codes) if len(codes) else pd.array([], dtype="str"))


def _order(you: str, compared: Sequence[str], competitors: Sequence[str]) -> tuple[str, tuple[str, ...], list[str]]:
    notes: list[str] = []
    if you not in compared:
        notes.append(f"The export does not compare {you}; its first domain, {compared[0]}, is taken as yours.")
        you = compared[0]
    others = [d for d in compared if d != you]
    if competitors and set(others) != set(competitors):
        notes.append("The export compares " + ", ".join(others) + ", not exactly the workspace's competitors.")
    # The workspace's order first, then whatever else the export compares.
    ordered = [c for c in competitors if c in others] + [c for c in others if c not in competitors]
    if len(ordered) > MAX_COMPETITORS:
        notes.append(f"Only the first {MAX_COMPETITORS} competitors are compared.")
    return you, tuple(ordered[:MAX_COMPETITORS]), notes


def gap_from_export(long: pd.DataFrame, you: str, competitors: Sequence[str] = ()) -> Gap:
    """The gap from a Semrush Backlink Gap export in long form (domain, compared_domain, backlinks, ...)."""
    compared_codes, uniques = _factorize_runs(long["compared_domain"])
    compared = [str(d) for d in uniques]
    if len(compared) < 2:
        raise GapError("The Backlink Gap export compares fewer than two domains.")
    you, ordered, notes = _order(you, compared, competitors)
    index = {d: i for i, d in enumerate((you, *ordered))}
    member = np.array([index.get(d, -1) for d in compared], dtype=np.int64)[compared_codes]
    rows = member >= 0
    data = long[rows] if not rows.all() else long
    return _build(data["domain"], data["root_domain"], member[rows],
                  data["backlinks"].to_numpy(dtype="float64", na_value=0), data["domain_ascore"], _traffic(data),
                  you, ordered, "gap export", tuple(notes), _melted_codes(data["domain"], compared_codes[rows]))


def _factorize_runs(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """pd.factorize for a column made of long runs of one value (a melted export): only the runs are hashed."""
    if len(values) < 2:
        return pd.factorize(values, sort=False)
    array = values.reset_index(drop=True)
    change = (array.iloc[1:].reset_index(drop=True) != array.iloc[:-1].reset_index(drop=True)).to_numpy(bool)
    starts = np.concatenate([[0], np.flatnonzero(change) + 1])
    run_codes, uniques = pd.factorize(array.iloc[starts], sort=False)
    return np.repeat(run_codes, np.diff(np.append(starts, len(array)))), uniques


def _melted_codes(domain: pd.Series, compared_codes: np.ndarray) -> tuple[np.ndarray, pd.Index] | None:
    """Factorised domains of a melted export cheaply: the melt repeats one block of domains per compared
    domain, so hashing the first block is enough (a fifth of the strings). None when not laid out so."""
    k = len(np.unique(compared_codes))
    if k < 2 or len(domain) % k:
        return None
    size = len(domain) // k
    blocks = compared_codes.reshape(k, size)
    if not (blocks == blocks[:, :1]).all():
        return None
    first = domain.iloc[:size].reset_index(drop=True)
    for i in range(1, k):
        if not first.equals(domain.iloc[i * size:(i + 1) * size].reset_index(drop=True)):
            return None
    codes, uniques = pd.factorize(first, sort=False)
    if (codes < 0).any():
        return None
    return np.tile(codes, k), uniques


def gap_from_referring_domains(frames: Mapping[str, pd.DataFrame | None], you: str,
                               competitors: Sequence[str]) -> Gap:
    """The gap computed from each compared domain's Referring Domains snapshot (None where there is none)."""
    if frames.get(you) is None:
        raise GapError(f"No Referring Domains data for your domain {you}.")
    present = tuple(c for c in competitors if frames.get(c) is not None)[:MAX_COMPETITORS]
    missing = [c for c in competitors if frames.get(c) is None]
    if not present:
        raise GapError("No Referring Domains data for any competitor.")
    notes = (f"No Referring Domains data for {', '.join(missing)}: left out of the comparison.",) if missing else ()
    parts = []
    for i, name in enumerate((you, *present)):
        refs = frames[name]
        part = pd.DataFrame({
            "domain": refs["domain"].astype("str"),
            "root_domain": (refs["root_domain"] if "root_domain" in refs else refs["domain"]).astype("str"),
            "member": np.full(len(refs), i, dtype=np.int64),
            "backlinks": refs["backlinks"].to_numpy(dtype="float64", na_value=0),
            "domain_ascore": refs["domain_ascore"].astype("Float64") if "domain_ascore" in refs else np.nan,
        })
        traffic = _traffic(refs)
        part["organic_traffic"] = traffic.to_numpy() if traffic is not None else np.nan
        parts.append(part)
    data = pd.concat(parts, ignore_index=True)
    has_traffic = data["organic_traffic"].notna().any()
    # A listed referring domain links even when its backlinks cell was empty: count it as one.
    backlinks = np.maximum(data["backlinks"].to_numpy(), 1)
    factorized = pd.factorize(data["domain"], sort=False)
    gap = _build(data["domain"], data["root_domain"], data["member"].to_numpy(), backlinks, data["domain_ascore"],
                 data["organic_traffic"] if has_traffic else None, you, present, "referring domains", notes,
                 factorized)
    lists = [frames[name] for name in (you, *present)]
    return replace(gap, list_facts=_list_facts(lists, data, gap.frame, factorized))


def _list_facts(lists: Sequence[pd.DataFrame], data: pd.DataFrame, frame: pd.DataFrame,
                factorized: tuple[np.ndarray, pd.Index]) -> pd.DataFrame:
    """Gap.list_facts of the gap `frame` built from `data` (the `lists` concatenated) and its factorised domains.

    Where every listed name is its own registrable domain (the usual case), the first row naming a gap row's
    registrable domain is the first naming its domain, which the factorisation gives: risk scoring then looks
    up no names (~400,000 among a million rows cost ~0.2 s). Otherwise the names are looked up as risk_facts
    does."""
    codes, uniques = factorized
    roots = data["root_domain"]
    if as_flags(pc.equal(column_strings(data["domain"]), column_strings(roots))).all():
        at = first_rows_by_code(codes, len(uniques))
    else:
        at = positions_in(frame["root_domain"], roots)
    found = at >= 0
    # Empty lists hold no row (positions in `data` stay those of the others) and, as in risk_facts, no column.
    known = [f[[c for c in _LIST_FACTS if c in f]] for f in lists if len(f)]
    if not known:
        return pd.DataFrame(index=frame.index)
    extra = pd.concat(known, ignore_index=True)
    return pd.DataFrame({column: (values_at(extra[column], at).array if found.all() else
                                  extra[column].array.take(at, allow_fill=True))
                         for column in extra.columns}, index=frame.index)


# ---------------------------------------------------------------------------------------------------------
# Filters, counts and overlap
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GapFilter:
    categories: tuple[str, ...] = ()  # any of these flags; empty = every row
    ascore: tuple[int, int] = (0, 100)
    competitors: tuple[int, int] = (0, MAX_COMPETITORS)  # competitors linked, inclusive
    exclude_risky: bool = False  # needs a risk_score column


def filter_gap(frame: pd.DataFrame, chosen: GapFilter) -> pd.DataFrame:
    keep = np.ones(len(frame), dtype=bool)
    if chosen.categories:
        keep &= frame[list(chosen.categories)].to_numpy(bool).any(axis=1)
    if tuple(chosen.ascore) != (0, 100):
        score = frame["domain_ascore"].astype("Float64")
        keep &= ((score >= chosen.ascore[0]) & (score <= chosen.ascore[1])).fillna(False).to_numpy(bool)
    low, high = chosen.competitors
    keep &= ((frame["competitors_linked"] >= low) & (frame["competitors_linked"] <= high)).to_numpy(bool)
    if chosen.exclude_risky and "risk_score" in frame:
        keep &= ~(frame["risk_score"].astype("Float64") >= RISKY_SCORE).fillna(False).to_numpy(bool)
    return frame[keep]


def category_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Rows per category (they overlap, as Semrush's tabs do)."""
    return {code: int(frame[code].sum()) for code in CATEGORY_CODES}


def membership(gap: Gap) -> np.ndarray:
    """(referring domains x compared domains) booleans: who links to whom."""
    return gap.frame[list(gap.backlink_columns)].to_numpy() > 0


def pairwise_overlap(gap: Gap) -> pd.DataFrame:
    """Referring domains two compared domains share; the diagonal is each domain's own total."""
    linked = membership(gap).astype(np.int64)
    shared = linked.T @ linked
    return pd.DataFrame(shared, index=list(gap.domains), columns=list(gap.domains))


def combinations(gap: Gap, top: int = 12) -> pd.DataFrame:
    """The most common sets of compared domains linked together (UpSet style): combination, domains, count."""
    linked = membership(gap)
    if not len(linked):
        return pd.DataFrame({"combination": pd.Series(dtype="str"), "domains": pd.Series(dtype="object"),
                             "count": pd.Series(dtype="int64")})
    mask = (linked.astype(np.int64) << np.arange(linked.shape[1])).sum(axis=1)
    counts = pd.Series(mask).value_counts()
    counts = counts[counts.index > 0]
    order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    rows = []
    for m, n in order:
        members = [d for b, d in enumerate(gap.domains) if m >> b & 1]
        label = " + ".join("you" if d == gap.you else d for d in members)
        rows.append({"combination": label + (" only" if len(members) == 1 else ""), "domains": tuple(members),
                     "count": int(n)})
    return pd.DataFrame(rows)


def risk_facts(gap_frame: pd.DataFrame, referring_domains: Sequence[pd.DataFrame | None] = (),
               list_facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """What lib.analysis.risk needs about each gap domain: Authority Score, plus IP, country and first seen
    from any Referring Domains data of the compared domains (the gap export has no IPs).

    `list_facts`: Gap.list_facts of a gap computed from those lists, which holds the same facts already placed
    on the gap's rows; `referring_domains` is then not read."""
    facts = pd.DataFrame({"domain": gap_frame["domain"], "root_domain": gap_frame["root_domain"],
                          "domain_ascore": gap_frame["domain_ascore"],
                          "backlinks": gap_frame[[c for c in gap_frame.columns if c.startswith("backlinks_")]]
                          .sum(axis=1).astype("Int64")})
    known = [r for r in referring_domains if r is not None and len(r)]
    if list_facts is not None:
        for column in [c for c in _LIST_FACTS if c in list_facts]:
            facts[column] = list_facts[column].reindex(facts.index)
    elif known:
        # The first list that names a domain gives its facts: positions_in answers a name's first row, so the
        # million rows of five lists are not de-duplicated first (~0.17 s).
        extra = pd.concat([r[[c for c in ("root_domain", *_LIST_FACTS) if c in r]] for r in known], ignore_index=True)
        at = positions_in(facts["root_domain"], extra["root_domain"])
        for column in _LIST_FACTS:
            if column in extra:
                facts[column] = pd.Series(extra[column].array.take(at, allow_fill=True), index=facts.index)
    for column in ("ip", "country"):
        facts[column] = facts[column].fillna("").astype("str") if column in facts else ""
    if "first_seen" not in facts:
        facts["first_seen"] = pd.NaT
    return facts


def gap_risk(gap_frame: pd.DataFrame, context, referring_domains: Sequence[pd.DataFrame | None] = (),
             backlinks: pd.DataFrame | None = None, list_facts: pd.DataFrame | None = None,
             links: LinkDomains | None = None) -> pd.DataFrame:
    """The audit's risk score of every gap domain (one row per registrable domain), and what it rests on:
    `basis` "links" where backlinks from the domain are known, else "domain facts" (Authority Score, name,
    TLD, IP range), which cannot see link-level markers such as sitewide or exact-match anchors.
    Rows in no promised order: they are looked up by domain (with_risk_scores).
    `list_facts`: Gap.list_facts, when the gap was computed from `referring_domains` (see risk_facts).
    `links`: LinkDomains of `backlinks`, shared with other work on them."""
    from lib.analysis.risk import domain_risk

    facts = risk_facts(gap_frame, referring_domains, list_facts)
    has_links = backlinks is not None and len(backlinks) > 0
    risk = domain_risk(backlinks if has_links else pd.DataFrame(), facts, context, ordered=False,
                       listed_only=True, links=links)
    # Scored with backlinks, a domain's `backlinks` counts its rows in them: more than none is a linking domain
    # (looking each name up among a million linking domains cost ~0.1 s).
    linking = risk["backlinks"].fillna(0).to_numpy(dtype="int64") > 0 if has_links else np.zeros(len(risk), bool)
    risk["basis"] = labels_by_code(linking, ("domain facts", "links"), risk.index)
    return risk


def with_risk_scores(gap_frame: pd.DataFrame, risk: pd.DataFrame, *, one_row_per_domain: bool = False
                     ) -> pd.DataFrame:
    """The gap frame with each row's `risk_score` (Int64), looked up by its registrable domain in `gap_risk`'s
    output (the first row of a domain listed twice).

    `one_row_per_domain`: `risk` names each domain once, as gap_risk's output does. Its rows then usually line
    up with the frame's (one row per registrable domain, in the frame's order), and where they do the scores
    are used as they stand: comparing the names costs a few milliseconds, looking up ~400,000 ~0.1 s."""
    scores = risk["risk_score"].astype("Int64").array
    roots = gap_frame["root_domain"]
    if one_row_per_domain and len(roots) == len(risk) and as_flags(
            pc.equal(column_strings(roots), column_strings(risk["domain"]))).all():
        return gap_frame.assign(risk_score=scores)
    return gap_frame.assign(risk_score=scores.take(positions_in(roots, risk["domain"]), allow_fill=True))
