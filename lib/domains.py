"""Hosts and registrable domains of URLs, computed offline.

tldextract runs on its bundled public-suffix snapshot: no network fetch, ever. Private
suffixes count (foo.blogspot.com is its own site), because that is how a link profile
should see them. Work happens once per distinct host, not once per URL.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import tldextract

from lib.arrow_strings import column_strings, edge_characters, map_slices

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)

_HOST_PATTERN = r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?:[^/?#:@]*@)?(?P<host>\[[^\]]*\]|[^/?#:]*)"


@lru_cache(maxsize=200_000)
def _split_host(host: str) -> tuple[str, str]:
    parts = _EXTRACT.extract_str(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}", parts.suffix
    # IPs, localhost, or a bare suffix: the host itself is the best domain we have
    return host, parts.suffix


def clean_host(value: str) -> str:
    host = value.strip().lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def hosts(urls: pd.Series) -> pd.Series:
    """Lower-cased host of each URL, without `www.`; a value without a scheme is read as `//value`."""
    codes, uniques = _host_codes(urls)
    return _take(uniques, codes, urls.index)


def host_parts(urls: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Host, registrable domain and public suffix of each URL: `hosts`, then `registrable_domains` and
    `suffixes` of it, but each computed once per distinct host and mapped back by integer codes."""
    codes, uniques = _host_codes(urls)
    found, suffix = _split_hosts(uniques)
    return (_take(uniques, codes, urls.index), _take(found, codes, urls.index), _take(suffix, codes, urls.index))


def registrable_domains(host_series: pd.Series) -> pd.Series:
    codes, uniques = _distinct(host_series)
    return _take(_split_hosts(uniques)[0], codes, host_series.index)


def suffixes(host_series: pd.Series) -> pd.Series:
    codes, uniques = _distinct(host_series)
    return _take(_split_hosts(uniques)[1], codes, host_series.index)


def registrable_domain(url_or_host: str) -> str:
    """The registrable domain of one URL or host name ('https://blog.x.co.uk/a' -> 'x.co.uk')."""
    return str(registrable_domains(hosts(pd.Series([url_or_host]))).iloc[0])


# ------------------------------------------------------------------------------------ distinct values


def _arrow_text(values: pd.Series) -> pa.ChunkedArray | pa.Array:
    """The column as Arrow strings with missing values as "": a view of pandas' Arrow-backed strings."""
    data = column_strings(values)
    if data.null_count:
        data = pc.fill_null(data, "")
    return data


def _distinct(values: pd.Series | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Integer codes into the distinct values, in order of first appearance (hashing in C)."""
    text = _arrow_text(values) if isinstance(values, pd.Series) else values
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks != 1 else encoded.chunk(0)
        if isinstance(encoded, pa.ChunkedArray):  # an empty column
            return np.zeros(0, dtype=np.int64), pa.array([], pa.large_string())
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False), encoded.dictionary


def _take(uniques: pa.Array, codes: np.ndarray, index: pd.Index) -> pd.Series:
    values = uniques.cast(pa.large_string()).take(pa.array(codes)) if len(codes) else pa.array([], pa.large_string())
    return pd.Series(pd.array(values, dtype="str"), index=index)


# ----------------------------------------------------------------------------------------------- hosts


def _host_codes(urls: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes into the distinct cleaned hosts of the URLs.

    Target URLs repeat (a million backlinks point at a few thousand pages) and linking URLs share
    hosts: the regex runs in C over the column (or over its distinct URLs when they are few), the
    cleaning once per distinct extracted host.
    """
    if len(urls) > 10_000 and urls.iloc[:5_000].nunique(dropna=False) < 2_500:
        url_codes, distinct_urls = _distinct(urls)
        raw = _extract_hosts(distinct_urls)
    else:
        url_codes, raw = None, _extract_hosts(_arrow_text(urls))
    raw_codes, raw_hosts = _distinct(raw)
    if not len(raw_hosts):
        return np.zeros(len(urls), dtype=np.int64), pa.array([""] * (len(urls) > 0), pa.large_string())
    # Cleaning merges hosts ("www.x.com" and "x.com"): renumber so equal hosts share one code.
    remap, hosts_ = _distinct(_clean_hosts(raw_hosts))
    codes = remap[raw_codes]
    if url_codes is not None:
        codes = codes[url_codes]
    return codes, hosts_


_ASCII_HOST = r"^[A-Za-z0-9._-]*$"  # no whitespace or other character where str and Arrow functions differ


def _clean_hosts(raw: pa.Array) -> pa.Array:
    """`clean_host` of each value: in Arrow for plain ASCII hosts, in Python for the rest."""
    lowered = pc.utf8_rtrim(pc.ascii_lower(raw), characters=".")
    cleaned = pc.if_else(pc.starts_with(lowered, "www."), pc.utf8_slice_codeunits(lowered, 4), lowered)
    plain = pc.match_substring_regex(raw, _ASCII_HOST)
    if not pc.all(plain).as_py():
        others = pc.invert(plain)
        fixed = [clean_host(h) for h in pc.filter(raw, others).to_pylist()]
        cleaned = pc.replace_with_mask(cleaned, others, pa.array(fixed, cleaned.type))
    return cleaned


# Most URLs have no user info and no IPv6 literal: this pattern finds their host several times faster
# than _HOST_PATTERN (whose optional user info costs RE2 its fast path) and agrees with it wherever it
# matches; the rest get _HOST_PATTERN.
_SIMPLE_HOST_PATTERN = r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?P<host>[^/?#:@\[]*)(?:[/?#:]|$)"


def _extract_hosts(text):
    # pyarrow's regex engine runs in C over the whole column: pandas' str.extract would call
    # Python's re once per URL (seconds on a million backlinks).
    edges = edge_characters(text)
    if edges and pc.any(pc.utf8_is_space(pa.array(sorted(edges), pa.string()))).as_py():  # a copy only when needed
        text = pc.utf8_trim_whitespace(text)
    has_scheme = pc.match_substring(text, "//")
    if not pc.all(has_scheme).as_py():
        text = pc.if_else(has_scheme, text, pc.binary_join_element_wise(pa.scalar("//", text.type), text,
                                                                        pa.scalar("", text.type)))
    found = map_slices(lambda part: pc.struct_field(pc.extract_regex(part, _SIMPLE_HOST_PATTERN), "host"), text)
    missed = pc.is_null(found)
    if pc.any(missed).as_py():
        full = pc.struct_field(pc.extract_regex(pc.filter(text, missed), _HOST_PATTERN), "host")
        found = pc.replace_with_mask(_one_array(found), _one_array(missed), _one_array(full))
    # javascript:, mailto:, data: ... have no host; "localhost:8080" is a host with a port.
    # (RE2 has no lookahead, hence the spelled-out alternatives.) Only values starting "//" can be opaque.
    if pc.any(pc.starts_with(text, "//")).as_py():
        opaque = pc.match_substring_regex(text, r"^//[a-zA-Z][a-zA-Z0-9+-]*:(?:$|[^/0-9]|/$|/[^/])")
        found = pc.if_else(opaque, "", found)
    return pc.fill_null(found, "")


def _one_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


# ----------------------------------------------------------------------------------- public suffixes

# Hosts of plain ASCII labels go through a vectorised walk of tldextract's own suffix trie; anything
# else (IP literals, punycode or Unicode labels, empty labels, odd characters) through tldextract.
_PLAIN_HOST = r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$"


@lru_cache(maxsize=1)
def _trie_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], int] | None:
    """Every path of the suffix trie (as a dotted suffix), the paths that end a rule, the paths with a
    wildcard child, and the exception paths ("!label" children), with the trie's depth."""
    try:
        root = _EXTRACT._get_tld_extractor().tlds_incl_private_trie
    except Exception:  # tldextract's internals changed: per-host lookups remain correct
        return None
    paths, ends, wildcards, exceptions = set(), set(), set(), set()
    depth = 0
    stack = [(root, ())]
    while stack:
        node, labels = stack.pop()
        for label, child in node.matches.items():
            if label == "*":
                wildcards.add(".".join(reversed(labels)))
                continue
            if label.startswith("!"):
                exceptions.add(".".join(reversed((*labels, label[1:]))))
                continue
            path = (*labels, label)
            dotted = ".".join(reversed(path))
            paths.add(dotted)
            if child.end:
                ends.add(dotted)
            depth = max(depth, len(path))
            stack.append((child, path))
    return frozenset(paths), frozenset(ends), frozenset(wildcards), frozenset(exceptions), depth


def _split_hosts(uniques: pa.Array | list[str]) -> tuple[pa.Array, pa.Array]:
    """Registrable domain and public suffix of each distinct host, as `_split_host` gives them."""
    hosts_ = uniques if isinstance(uniques, pa.Array) else pa.array(uniques, pa.string())
    sets = _trie_sets()
    if sets is None or not len(hosts_):
        return _split_in_python(hosts_, np.arange(len(hosts_)), hosts_, hosts_)
    paths, ends, wildcards, exceptions, depth = sets
    n = len(hosts_)
    labels = pc.list_value_length(pc.split_pattern(hosts_, ".")).to_numpy(zero_copy_only=False)
    last_labels: dict[int, pa.Array] = {}  # k -> the host's last k labels (null where it has fewer)

    def last(k: int) -> pa.Array:
        if k not in last_labels:
            path = pc.struct_field(pc.extract_regex(hosts_, rf"(?P<p>(?:[^.]*\.){{{k - 1}}}[^.]*)$"), "p")
            last_labels[k] = pc.if_else(pa.array(labels >= k), path, pa.nulls(n, path.type))
        return last_labels[k]

    suffix_len = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    for k in range(1, depth + 2):
        path = last(k)
        has = pc.fill_null(pc.is_in(path, pa.array(sorted(paths), pa.string())), False).to_numpy(zero_copy_only=False)
        ended = pc.fill_null(pc.is_in(path, pa.array(sorted(ends), pa.string())), False).to_numpy(zero_copy_only=False)
        # Where the walk stops at label k under a node with a wildcard child, "*" matches label k
        # (the suffix has k labels) unless "!label" is an exception (the suffix has k - 1).
        if k > 1:
            stops = alive & ~has & (labels >= k)
            if stops.any():
                wild = pc.fill_null(pc.is_in(last(k - 1), pa.array(sorted(wildcards), pa.string())), False)
                wild = stops & wild.to_numpy(zero_copy_only=False)
                excepted = pc.fill_null(pc.is_in(path, pa.array(sorted(exceptions), pa.string())), False)
                excepted = excepted.to_numpy(zero_copy_only=False)
                suffix_len = np.where(wild, np.where(excepted, k - 1, k), suffix_len)
                alive &= ~wild
        alive &= has
        suffix_len = np.where(alive & ended, k, suffix_len)
        if not alive.any():
            break
    domain_len = np.where((suffix_len > 0) & (labels > suffix_len), suffix_len + 1, 0)
    found, suffix = hosts_, pa.array([""] * n, hosts_.type)
    for k in np.unique(domain_len[domain_len > 0]).tolist():
        found = pc.if_else(pa.array(domain_len == k), last(k), found)
    for k in np.unique(suffix_len[suffix_len > 0]).tolist():
        suffix = pc.if_else(pa.array(suffix_len == k), last(k), suffix)
    # Punycode labels match the trie decoded; empty hosts have no parts.
    plain = pc.match_substring_regex(hosts_, _PLAIN_HOST).to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(~plain | pc.match_substring(hosts_, "xn--").to_numpy(zero_copy_only=False))
    return _split_in_python(hosts_, odd, found, suffix)


def _split_in_python(hosts_: pa.Array, which: np.ndarray, found: pa.Array, suffix: pa.Array
                     ) -> tuple[pa.Array, pa.Array]:
    """`found` and `suffix` with the hosts at positions `which` split by tldextract instead."""
    if not len(which):
        return found, suffix
    pairs = [_split_host(h) if h else ("", "") for h in hosts_.take(pa.array(which)).to_pylist()]
    mask = np.zeros(len(hosts_), dtype=bool)
    mask[which] = True
    mask_ = pa.array(mask)
    return (pc.replace_with_mask(found, mask_, pa.array([p[0] for p in pairs], found.type)),
            pc.replace_with_mask(suffix, mask_, pa.array([p[1] for p in pairs], suffix.type)))
