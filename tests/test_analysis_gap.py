"""Backlink gap: Semrush's categories on a hand-made five-domain fixture, read through the real export readers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import gap as g
from lib.readers import read_export

YOU, COMPETITORS = "you.com", ("a.com", "b.com", "c.com", "d.com")
# referring domain: Authority Score, backlinks to you, a, b, c, d
FIXTURE = {
    "all4.com": (40, 0, 1, 2, 1, 3),
    "three.com": (30, 0, 1, 1, 1, 0),
    "onlya.com": (10, 0, 5, 0, 0, 0),
    "onlyyou.com": (55, 4, 0, 0, 0, 0),
    "everyone.com": (70, 3, 3, 3, 3, 3),
    "everyweak.com": (65, 1, 2, 1, 1, 1),
    "weakpair.com": (20, 1, 4, 0, 0, 0),
    "strongerpair.com": (25, 6, 2, 0, 0, 0),
    "equal.com": (90, 2, 0, 2, 0, 0),
}
EXPECTED = {
    "best": {"all4.com"},
    "weak": {"everyweak.com", "weakpair.com"},
    "strong": {"onlyyou.com"},
    "shared": {"everyone.com", "everyweak.com"},
    "unique": {"onlya.com", "onlyyou.com"},
    "opportunity": {"all4.com", "three.com", "onlya.com"},
}


def export_long() -> pd.DataFrame:
    """The fixture as a Semrush Backlink Gap export (one backlinks column per compared domain)."""
    lines = ["Domain,Domain ascore,Matches," + ",".join((YOU, *COMPETITORS))]
    for domain, (ascore, *links) in FIXTURE.items():
        lines.append(",".join([domain, str(ascore), str(sum(n > 0 for n in links)), *map(str, links)]))
    [file] = read_export("\n".join(lines).encode(), "you.com-backlink_gap.csv")
    assert file.normalized.kind.name == "gap"
    return file.normalized.frame


def refdomain_frames() -> dict[str, pd.DataFrame]:
    """The same fixture as five Referring Domains exports, one per compared domain."""
    frames = {}
    for i, name in enumerate((YOU, *COMPETITORS)):
        lines = ["Domain ascore,Domain,Backlinks,IP,Country,First seen,Last seen"]
        for domain, (ascore, *links) in FIXTURE.items():
            if links[i]:
                lines.append(f"{ascore},{domain},{links[i]},,US,2024-01-01,2024-05-01")
        [file] = read_export("\n".join(lines).encode(), f"{name}-backlinks_refdomains.csv")
        assert file.normalized.kind.name == "referring_domains"
        frames[name] = file.normalized.frame
    return frames


def members(frame: pd.DataFrame, code: str) -> set[str]:
    return set(frame.loc[frame[code], "domain"])


@pytest.fixture(params=["export", "referring_domains"])
def gap(request) -> g.Gap:
    if request.param == "export":
        return g.gap_from_export(export_long(), YOU, COMPETITORS)
    return g.gap_from_referring_domains(refdomain_frames(), YOU, COMPETITORS)


@pytest.mark.parametrize("code", g.CATEGORY_CODES)
def test_every_category_is_the_exact_expected_set(gap, code):
    assert members(gap.frame, code) == EXPECTED[code]


def test_canonical_columns(gap):
    frame = gap.frame.set_index("domain")
    assert gap.domains == (YOU, *COMPETITORS)
    assert gap.column_labels["backlinks_you"] == "you.com (you)"
    assert gap.column_labels["backlinks_c4"] == "d.com"
    assert frame.loc["all4.com", ["backlinks_you", "backlinks_c1", "backlinks_c2", "backlinks_c3",
                                  "backlinks_c4"]].tolist() == [0, 1, 2, 1, 3]
    assert frame.loc["all4.com", "competitors_linked"] == 4
    assert frame.loc["all4.com", "competitor_backlinks"] == 7
    assert frame.loc["weakpair.com", "competitors_linked"] == 1
    assert not frame.loc["all4.com", "links_to_you"] and frame.loc["equal.com", "links_to_you"]
    assert frame["domain_ascore"].dtype == "Int64"
    assert frame.loc["equal.com", "domain_ascore"] == 90
    assert frame.loc["everyweak.com", "categories"] == "Weak, Shared"
    assert frame.loc["onlyyou.com", "categories"] == "Strong, Unique"
    assert frame.loc["strongerpair.com", "categories"] == ""
    assert len(frame) == len(FIXTURE)


def test_export_and_referring_domains_give_the_same_gap():
    by_export = g.gap_from_export(export_long(), YOU, COMPETITORS).frame.set_index("domain").sort_index()
    by_refs = g.gap_from_referring_domains(refdomain_frames(), YOU, COMPETITORS).frame.set_index("domain")
    by_refs = by_refs.sort_index()
    columns = ["backlinks_you", "backlinks_c1", "backlinks_c2", "backlinks_c3", "backlinks_c4", "domain_ascore",
               "competitors_linked", "categories", *g.CATEGORY_CODES]
    pd.testing.assert_frame_equal(by_export[columns], by_refs[columns])


def test_the_export_decides_which_domain_is_yours_and_notes_other_competitors():
    gap = g.gap_from_export(export_long(), "other.com", ("a.com", "z.com"))
    assert gap.you == YOU  # Semrush puts the analysed domain first
    assert gap.competitors == ("a.com", "b.com", "c.com", "d.com")
    assert len(gap.notes) == 2 and "other.com" in gap.notes[0] and "not exactly" in gap.notes[1]


def test_a_missing_competitor_list_is_left_out_and_said():
    frames = refdomain_frames()
    frames["d.com"] = None
    gap = g.gap_from_referring_domains(frames, YOU, COMPETITORS)
    assert gap.competitors == ("a.com", "b.com", "c.com")
    assert "d.com" in gap.notes[0]
    # three competitors now: all4 and three both link to all of them
    assert members(gap.frame, "best") == {"all4.com", "three.com"}


def test_no_data_of_your_domain_or_of_any_competitor_is_an_error():
    frames = refdomain_frames()
    with pytest.raises(g.GapError, match="your domain you.com"):
        g.gap_from_referring_domains({**frames, YOU: None}, YOU, COMPETITORS)
    with pytest.raises(g.GapError, match="any competitor"):
        g.gap_from_referring_domains({YOU: frames[YOU]}, YOU, COMPETITORS)


def test_filters(gap):
    frame = gap.frame
    assert set(g.filter_gap(frame, g.GapFilter(categories=("best", "strong")))["domain"]) == {"all4.com",
                                                                                            "onlyyou.com"}
    assert set(g.filter_gap(frame, g.GapFilter(ascore=(20, 40)))["domain"]) == {
        "all4.com", "three.com", "weakpair.com", "strongerpair.com"}
    assert set(g.filter_gap(frame, g.GapFilter(competitors=(3, 4)))["domain"]) == {
        "all4.com", "three.com", "everyone.com", "everyweak.com"}
    risky = frame.assign(risk_score=pd.array([60 if d == "all4.com" else 10 for d in frame["domain"]],
                                             dtype="Int64"))
    kept = g.filter_gap(risky, g.GapFilter(categories=("opportunity",), exclude_risky=True))
    assert set(kept["domain"]) == {"three.com", "onlya.com"}
    assert len(g.filter_gap(frame, g.GapFilter())) == len(frame)


def test_counts_overlap_and_combinations(gap):
    assert g.category_counts(gap.frame) == {code: len(domains) for code, domains in EXPECTED.items()}
    overlap = g.pairwise_overlap(gap)
    assert overlap.loc[YOU, YOU] == 6  # referring domains of you.com
    assert overlap.loc["a.com", "a.com"] == 7
    assert overlap.loc[YOU, "a.com"] == overlap.loc["a.com", YOU] == 4  # everyone, everyweak, weakpair, stronger
    assert overlap.loc["c.com", "d.com"] == 3  # all4, everyone, everyweak
    combos = g.combinations(gap).set_index("combination")["count"]
    assert combos["you + a.com + b.com + c.com + d.com"] == 2
    assert combos["you + a.com"] == 2
    assert combos["a.com + b.com + c.com + d.com"] == 1
    assert combos["you only"] == 1 and combos["a.com only"] == 1
    assert combos.sum() == len(FIXTURE)


def test_definitions_table_has_every_category():
    table = g.definitions_table()
    assert list(table["category"]) == [g.CATEGORY_LABELS[c] for c in g.CATEGORY_CODES]
    assert table["definition"].str.len().gt(20).all()


def test_both_paths_agree_on_large_random_lists():
    # Speed is measured in bench/ (five lists of 200,000); here the two paths must agree at scale.
    rng = np.random.default_rng(7)
    pool = pd.array([f"site{i}.example.com" for i in range(60_000)], dtype="str")
    frames = {}
    for name in (YOU, *COMPETITORS):
        pick = rng.choice(len(pool), 20_000, replace=False)
        frames[name] = pd.DataFrame({"domain": pool[pick], "root_domain": pool[pick],
                                     "backlinks": pd.array(rng.integers(1, 50, 20_000), dtype="Int64"),
                                     "domain_ascore": pd.array(rng.integers(0, 100, 20_000), dtype="Int64")})
    gap = g.gap_from_referring_domains(frames, YOU, COMPETITORS)
    # The same data as a melted Backlink Gap export: every domain once per compared domain.
    long = pd.concat([pd.DataFrame({"domain": gap.frame["domain"], "domain_ascore": gap.frame["domain_ascore"],
                                    "root_domain": gap.frame["root_domain"], "compared_domain": name,
                                    "backlinks": gap.frame[column]})
                      for name, column in zip(gap.domains, gap.backlink_columns)], ignore_index=True)
    long["compared_domain"] = long["compared_domain"].astype("str")
    from_export = g.gap_from_export(long, YOU, COMPETITORS)
    assert len(gap.frame) == len(set().union(*(set(f["domain"]) for f in frames.values())))
    assert (from_export.frame["categories"] == gap.frame["categories"]).all()
