import pandas as pd

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
