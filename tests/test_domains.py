import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import domains


def test_hosts_cover_schemes_ports_users_and_opaque_urls():
    urls = pd.Series(["https://www.Blog.Example.co.uk/a?b", "foo.blogspot.com/x", "http://1.2.3.4:8080/",
                      None, "", "https://user@sub.test.com", "javascript:alert(1)", "mailto:a@b.com",
                      "localhost:8080/x", "example.com:81/a"], index=range(10, 20))
    assert domains.hosts(urls).tolist() == ["blog.example.co.uk", "foo.blogspot.com", "1.2.3.4", "", "",
                                            "sub.test.com", "", "", "localhost", "example.com"]
    assert domains.hosts(urls).index.tolist() == list(range(10, 20))


def test_registrable_domains_use_the_public_suffix_list_with_private_suffixes():
    hosts = pd.Series(["blog.example.co.uk", "foo.blogspot.com", "1.2.3.4", "", "a.b.c.com"])
    assert domains.registrable_domains(hosts).tolist() == ["example.co.uk", "foo.blogspot.com", "1.2.3.4", "",
                                                           "c.com"]
    assert domains.suffixes(hosts).tolist() == ["co.uk", "blogspot.com", "", "", "com"]
    assert domains.registrable_domain("https://shop.x.co.uk/a") == "x.co.uk"


def test_vectorised_suffix_walk_agrees_with_tldextract_per_host():
    # Wildcard rules (*.ck) and their exceptions (!www.ck), private suffixes, hosts that are a suffix,
    # deep subdomains, IPs, punycode, Unicode and malformed hosts (the last ones go to tldextract itself).
    hosts = ["a.b.ck", "www.ck", "x.www.ck", "ck", "b.city.kawasaki.jp", "city.kawasaki.jp", "x.y.kawasaki.jp",
             "foo.s3.amazonaws.com", "s3.amazonaws.com", "x.y.compute-1.amazonaws.com", "a.b.c.d.e.f.example.co.uk",
             "co.uk", "com", "localhost", "1.2.3.4", "foo.xn--p1ai", "bücher.de", "a..b.com", "[::1]", "a_b.example.com",
             "x.blogspot.co.uk", "nosuchtld", "a.nosuchtld", ""]
    found, suffix = (values.to_pylist() for values in domains._split_hosts(hosts))
    expected = [domains._split_host(h) if h else ("", "") for h in hosts]
    assert list(zip(found, suffix)) == expected
    assert (found[0], suffix[0]) == ("a.b.ck", "b.ck")
    assert (found[1], suffix[1]) == ("www.ck", "ck")


def test_host_parts_equal_hosts_then_domains_and_suffixes():
    urls = pd.Series(["https://www.Blog.Example.co.uk/a", "http://user@x.b.ck:80/", " HTTP://WWW.A.COM. ", None,
                      "//[::1]/x", "mailto:a@b.com", "foo.blogspot.com"] * 3, index=range(100, 121))
    host, domain, suffix = domains.host_parts(urls)
    assert host.tolist() == domains.hosts(urls).tolist()
    assert host.tolist()[:7] == ["blog.example.co.uk", "x.b.ck", "a.com", "", "[::1]", "", "foo.blogspot.com"]
    assert domain.tolist()[:7] == ["example.co.uk", "x.b.ck", "a.com", "", "[::1]", "", "foo.blogspot.com"]
    assert suffix.tolist()[:7] == ["co.uk", "b.ck", "com", "", "", "", "blogspot.com"]
    assert list(domain.index) == list(range(100, 121)) and str(domain.dtype) == "str"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="wW.aZ-_0 \t\u0130\u00e9\x1c", max_size=9), max_size=10))
def test_hosts_are_cleaned_in_arrow_exactly_as_clean_host_does(values):
    # Arrow lowers ASCII only and trims its own whitespace: anything else must still end up as clean_host has it.
    cleaned = domains._clean_hosts(pa.array(values, pa.large_string())).to_pylist()
    assert cleaned == [domains.clean_host(v) for v in values]
