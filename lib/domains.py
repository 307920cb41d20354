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

from lib.arrow_strings import edge_characters, map_slices

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
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        data = pa.chunked_array(array._pa_array) if hasattr(array, "_pa_array") else pa.array(array)
    else:
        data = pa.array(values.astype("str").to_numpy(dtype=object), pa.string(), from_pandas=True)
    if data.null_count:
        data = pc.fill_null(data, "")
    return data


def _distinct(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes into the distinct values (hashing in C, not one Python call per row)."""
    encoded = pc.dictionary_encode(_arrow_text(values))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks != 1 else encoded.chunk(0)
        if isinstance(encoded, pa.ChunkedArray):  # an empty column
            return np.zeros(0, dtype=np.int64), []
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def _take(uniques: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    values = pa.array(uniques, pa.large_string()).take(pa.array(codes)) if len(codes) else pa.array([], pa.large_string())
    return pd.Series(pd.array(values, dtype="str"), index=index)


# ----------------------------------------------------------------------------------------------- hosts


def _host_codes(urls: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes into the distinct cleaned hosts of the URLs.

    Target URLs repeat (a million backlinks point at a few thousand pages) and linking URLs share
    hosts: the regex runs in C over the column (or over its distinct URLs when they are few), the
    Python-level cleaning once per distinct extracted host.
    """
    if len(urls) > 10_000 and urls.iloc[:5_000].nunique(dropna=False) < 2_500:
        url_codes, distinct_urls = _distinct(urls)
        raw = _extract_hosts(pa.array(distinct_urls, pa.string()))
    else:
        url_codes, raw = None, _extract_hosts(_arrow_text(urls))
    encoded = pc.dictionary_encode(raw)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks != 1 else encoded.chunk(0)
    if isinstance(encoded, pa.ChunkedArray) or not len(encoded):
        return np.zeros(len(urls), dtype=np.int64), [""] * (len(urls) > 0)
    raw_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    cleaned = [clean_host(h) for h in encoded.dictionary.to_pylist()]
    # Cleaning merges hosts ("www.x.com" and "x.com"): renumber so equal hosts share one code.
    first: dict[str, int] = {}
    remap = np.fromiter((first.setdefault(h, len(first)) for h in cleaned), dtype=np.int64, count=len(cleaned))
    codes = remap[raw_codes]
    if url_codes is not None:
        codes = codes[url_codes]
    return codes, list(first)


# Most URLs have no user info and no IPv6 literal: this pattern finds their host several times faster
# than _HOST_PATTERN (whose optional user info costs RE2 its fast path) and agrees with it wherever it
# matches; the rest get _HOST_PATTERN.
_SIMPLE_HOST_PATTERN = r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?P<host>[^/?#:@\[]*)(?:[/?#:]|$)"


def _extract_hosts(text):
    # pyarrow's regex engine runs in C over the whole column: pandas' str.extract would call
    # Python's re once per URL (seconds on a million backlinks).
    if isinstance(text, pa.ChunkedArray):
        text = text.chunk(0) if text.num_chunks == 1 else text.combine_chunks()
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
        found = pc.replace_with_mask(found, missed, full.combine_chunks() if isinstance(full, pa.ChunkedArray)
                                     else full)
    # javascript:, mailto:, data: ... have no host; "localhost:8080" is a host with a port.
    # (RE2 has no lookahead, hence the spelled-out alternatives.) Only values starting "//" can be opaque.
    if pc.any(pc.starts_with(text, "//")).as_py():
        opaque = pc.match_substring_regex(text, r"^//[a-zA-Z][a-zA-Z0-9+-]*:(?:$|[^/0-9]|/$|/[^/])")
        found = pc.if_else(opaque, "", found)
    return pc.fill_null(found, "")


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


def _split_hosts(uniques: list[str]) -> tuple[list[str], list[str]]:
    """Registrable domain and public suffix of each distinct host, as `_split_host` gives them."""
    sets = _trie_sets()
    if sets is None or not uniques:
        pairs = [_split_host(h) if h else ("", "") for h in uniques]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    paths, ends, wildcards, exceptions, depth = sets
    hosts_ = pa.array(uniques, pa.string())
    n = len(uniques)
    plain = pc.match_substring_regex(hosts_, _PLAIN_HOST).to_numpy(zero_copy_only=False)
    labels = pc.list_value_length(pc.split_pattern(hosts_, ".")).to_numpy(zero_copy_only=False)
    suffix_len = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    for k in range(1, depth + 2):
        path = pc.struct_field(pc.extract_regex(hosts_, rf"(?P<p>(?:[^.]*\.){{{k - 1}}}[^.]*)$"), "p")
        path = pc.if_else(pa.array(labels >= k), path, pa.nulls(n, pa.string()))
        has = pc.fill_null(pc.is_in(path, pa.array(sorted(paths), pa.string())), False).to_numpy(zero_copy_only=False)
        ended = pc.fill_null(pc.is_in(path, pa.array(sorted(ends), pa.string())), False).to_numpy(zero_copy_only=False)
        # Where the walk stops at label k under a node with a wildcard child, "*" matches label k
        # (the suffix has k labels) unless "!label" is an exception (the suffix has k - 1).
        if k > 1:
            stops = alive & ~has & (labels >= k)
            if stops.any():
                parent = pc.struct_field(pc.extract_regex(hosts_, rf"(?P<p>(?:[^.]*\.){{{k - 2}}}[^.]*)$"), "p")
                wild = pc.fill_null(pc.is_in(parent, pa.array(sorted(wildcards), pa.string())), False)
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
    found, suffix = [], []
    for host, is_plain, d, s in zip(uniques, plain, domain_len.tolist(), suffix_len.tolist()):
        if not host:
            found.append("")
            suffix.append("")
        elif not is_plain or "xn--" in host:  # punycode labels match the trie decoded
            f, x = _split_host(host)
            found.append(f)
            suffix.append(x)
        else:
            parts = host.rsplit(".", max(d, s)) if max(d, s) else [host]
            found.append(".".join(parts[-d:]) if d else host)
            suffix.append(".".join(parts[-s:]) if s else "")
    return found, suffix
