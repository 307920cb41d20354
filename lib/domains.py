"""Hosts and registrable domains of URLs, computed offline.

tldextract runs on its bundled public-suffix snapshot: no network fetch, ever. Private
suffixes count (foo.blogspot.com is its own site), because that is how a link profile
should see them. Work happens once per distinct host, not once per URL.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import tldextract

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
    # Target URLs repeat (a million backlinks point at a few thousand pages): extract each distinct URL once.
    # Linking URLs are nearly all distinct; a sample tells the two apart without hashing every URL twice.
    if len(urls) > 10_000 and urls.iloc[:5_000].nunique(dropna=False) < 2_500:
        codes, uniques = pd.factorize(urls.fillna("").astype("str"), sort=False)
        found = _hosts(pd.Series(uniques, dtype="str"))
        return pd.Series(found.array.take(codes), index=urls.index, dtype="str")
    return _hosts(urls)


def _hosts(urls: pd.Series) -> pd.Series:
    # pyarrow's regex engine runs in C over the whole column: pandas' str.extract would call
    # Python's re once per URL (seconds on a million backlinks).
    text = pc.utf8_trim_whitespace(pa.array(urls.fillna("").astype("str").to_numpy(dtype=object), pa.string()))
    has_scheme = pc.match_substring(text, "//")
    text = pc.if_else(has_scheme, text, pc.binary_join_element_wise("//", text, ""))
    # javascript:, mailto:, data: ... have no host; "localhost:8080" is a host with a port.
    # (RE2 has no lookahead, hence the spelled-out alternatives.)
    opaque = pc.match_substring_regex(text, r"^//[a-zA-Z][a-zA-Z0-9+-]*:(?:$|[^/0-9]|/$|/[^/])")
    found = pc.struct_field(pc.extract_regex(text, _HOST_PATTERN), "host")
    found = pc.if_else(pc.or_kleene(opaque, pc.is_null(found)), "", found)
    return _map_unique(pd.Series(found.to_numpy(zero_copy_only=False), index=urls.index, dtype="str"), clean_host)


def registrable_domains(host_series: pd.Series) -> pd.Series:
    return _map_unique(host_series, lambda h: _split_host(h)[0] if h else "")


def suffixes(host_series: pd.Series) -> pd.Series:
    return _map_unique(host_series, lambda h: _split_host(h)[1] if h else "")


def registrable_domain(url_or_host: str) -> str:
    """The registrable domain of one URL or host name ('https://blog.x.co.uk/a' -> 'x.co.uk')."""
    return str(registrable_domains(hosts(pd.Series([url_or_host]))).iloc[0])


def _map_unique(values: pd.Series, func) -> pd.Series:
    # A million URLs come from a few thousand hosts: map each distinct value once.
    codes, uniques = pd.factorize(values.astype("str"), sort=False)
    mapped = pd.Index(uniques).map(func)
    result = pd.Series(pd.array(mapped, dtype="str").take(codes, allow_fill=True) if len(codes) else [],
                       index=values.index, dtype="str")
    return result
