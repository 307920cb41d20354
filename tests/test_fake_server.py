"""The fake Semrush server on its own, spoken to with plain httpx: format, errors, paging, faults, admin, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest

from tests.fake_server import LEAK_KEY, OWN, RIVALS, fake, sample  # noqa: F401 - fixtures
from tools.fake_semrush import DEFAULT_KEY, FakeSemrush, sample_frames

REPO = Path(__file__).resolve().parent.parent


def get(server: FakeSemrush, key: str = DEFAULT_KEY, **params: str) -> httpx.Response:
    return httpx.get(server.url, params={"key": key, "target_type": "root_domain", **params}, timeout=5)


def rows(response: httpx.Response) -> list[list[str]]:
    return [line.split(";") for line in response.text.splitlines()]


def test_answers_in_the_real_format(fake):
    response = get(fake, type="backlinks", target=OWN,
                   export_columns="source_url,first_seen,last_seen,nofollow,newlink,page_ascore", display_limit="5")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    table = rows(response)
    assert table[0] == ["source_url", "first_seen", "last_seen", "nofollow", "newlink", "page_ascore"]
    assert len(table) == 6
    for source_url, first_seen, last_seen, nofollow, newlink, ascore in table[1:]:
        assert source_url.startswith("https://")
        assert first_seen.isdigit() and 1_500_000_000 < int(first_seen) <= int(last_seen) < 1_800_000_000
        assert nofollow in ("true", "false") and newlink in ("true", "false")
        assert ascore.isdigit()


def test_targets_it_does_not_know_are_nothing_found(fake):
    assert get(fake, type="backlinks", target="nobody.example").text == "ERROR 50 :: NOTHING FOUND"


def test_keys_it_does_not_accept_are_wrong_key(fake, sample):
    assert get(fake, key="guess", type="backlinks", target=OWN).text == "ERROR 120 :: WRONG KEY - ID PAIR"
    with FakeSemrush.from_frames(sample, keys=["mine"]) as strict:
        assert get(strict, type="backlinks_tld", target=OWN).text.startswith("ERROR 120")
        assert get(strict, key="mine", type="backlinks_tld", target=OWN).text.startswith("zone;")
    assert all("key" not in r for r in fake.requests)  # the request log never keeps the key


def test_display_limit_is_the_end_position_once_an_offset_is_given(fake, sample):
    domains = sample[("backlinks_refdomains", OWN)]["domain"].tolist()
    first = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain", display_limit="10"))
    second = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain", display_limit="20",
                      display_offset="10"))
    assert [r[0] for r in first[1:]] == domains[:10] and [r[0] for r in second[1:]] == domains[10:20]
    empty = get(fake, type="backlinks_refdomains", target=OWN, display_limit="10", display_offset="10")
    assert empty.text.startswith("ERROR 50")  # limit 10 from offset 10 means nothing: Semrush's own meaning
    everything = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain"))
    assert len(everything) - 1 == len(domains)


def test_display_sort(fake):
    table = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain,domain_ascore",
                     display_sort="domain_ascore_desc"))
    scores = [int(r[1]) for r in table[1:]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    table = rows(get(fake, type="backlinks_anchors", target=OWN, export_columns="anchor,backlinks_num",
                     display_sort="backlinks_num_asc"))
    counts = [int(r[1]) for r in table[1:]]
    assert counts == sorted(counts)


def test_display_filter(fake, sample):
    links = sample[("backlinks", OWN)]
    new_follow = rows(get(fake, type="backlinks", target=OWN, export_columns="source_url,newlink,nofollow",
                          display_filter="+|type||newlink|+|type||follow"))
    assert len(new_follow) - 1 == int((links["new_link"] & ~links["nofollow"]).sum()) > 0
    assert all(r[1] == "true" and r[2] == "false" for r in new_follow[1:])
    by_country = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain,country",
                          display_filter="+|country||de"))
    assert {r[1] for r in by_country[1:]} == {"de"}
    not_de = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="country",
                      display_filter="-|country||de"))
    assert "de" not in {r[0] for r in not_de[1:]}
    strong = rows(get(fake, type="backlinks_refdomains", target=OWN, export_columns="domain_ascore",
                      display_filter="+|domain_ascore|Gt|60"))
    assert all(int(r[0]) > 60 for r in strong[1:])


def test_the_gap_matrix_has_one_column_per_target(fake):
    response = httpx.get(fake.url, params=[
        ("key", DEFAULT_KEY), ("type", "backlinks_matrix"), ("targets[]", OWN), ("targets[]", RIVALS[0]),
        ("target_types[]", "root_domain"), ("target_types[]", "root_domain"),
        ("export_columns", "domain,domain_ascore,matches_num,backlinks_num"), ("display_sort", "matchesnum_desc"),
        ("display_filter", "+|backlinksnum_0|Eq|0")])
    table = rows(response)
    assert table[0] == ["domain", "domain_ascore", "matches_num", OWN, RIVALS[0]]
    assert len(table) > 1 and all(r[3] == "0" and int(r[4]) > 0 and r[2] == "1" for r in table[1:])


def test_overview_comparison_and_history_are_derived_from_the_lists(fake, sample):
    overview = rows(get(fake, type="backlinks_overview", target=OWN, export_columns="total,domains_num,follows_num"))
    links = sample[("backlinks", OWN)]
    assert overview[1] == [str(len(links)), str(len(sample[("backlinks_refdomains", OWN)])),
                           str(int((~links["nofollow"]).sum()))]
    comparison = httpx.get(fake.url, params=[
        ("key", DEFAULT_KEY), ("type", "backlinks_comparison"), ("targets[]", OWN), ("targets[]", RIVALS[1]),
        ("target_types[]", "root_domain"), ("target_types[]", "root_domain"),
        ("export_columns", "target,backlinks_num")])
    assert rows(comparison)[1:] == [[OWN, "2500"], [RIVALS[1], "300"]]
    history = rows(get(fake, type="backlinks_historical", target=OWN, export_columns="date,backlinks_num"))
    dates = [int(r[0]) for r in history[1:]]
    assert len(dates) == 12 and dates == sorted(dates, reverse=True)


def test_units_and_requests_are_counted(fake):
    get(fake, type="backlinks_tld", target=OWN, display_limit="3")
    get(fake, type="backlinks_overview", target=OWN)
    get(fake, type="backlinks_tld", target="nobody.example")
    assert fake.request_count == 3 and fake.units_served == 3 * 40 + 40


def test_fault_injection_over_http(fake):
    admin = fake.url.replace("/analytics/v1/", "/__fake__/")
    answer = httpx.post(admin + "faults", json={"burst_429": 2, "server_error": 1}, timeout=5)
    assert answer.status_code == 200 and answer.json()["burst_429"] == 2
    statuses = [get(fake, type="backlinks_tld", target=OWN).status_code for _ in range(4)]
    assert statuses == [429, 429, 500, 200]

    httpx.post(admin + "faults", json={"error_code": 134}, timeout=5)
    assert get(fake, type="backlinks_tld", target=OWN).text == "ERROR 134 :: TOTAL LIMIT EXCEEDED"
    assert get(fake, type="backlinks_tld", target=OWN).text.startswith("ERROR 134")
    httpx.post(admin + "faults", json={"error_code": None}, timeout=5)
    assert get(fake, type="backlinks_tld", target=OWN).text.startswith("zone;")

    assert httpx.post(admin + "faults", json={"explode": 1}, timeout=5).status_code == 400
    stats = httpx.get(admin + "stats", timeout=5).json()
    assert stats["requests"] == fake.request_count == 7
    httpx.post(admin + "reset", timeout=5)
    assert fake.request_count == 0 and fake.faults.error_code is None


def test_truncation_modes(fake):
    fake.set_faults(truncate=1)
    with pytest.raises(httpx.RemoteProtocolError):
        get(fake, type="backlinks_refdomains", target=OWN)
    fake.set_faults(truncate=1, truncate_mode="short")
    cut = get(fake, type="backlinks_refdomains", target=OWN)
    lines = cut.text.splitlines()
    assert cut.status_code == 200 and len(lines[-1].split(";")) < len(lines[0].split(";"))
    whole = get(fake, type="backlinks_refdomains", target=OWN)
    assert len(whole.text) > len(cut.text) and whole.text.startswith(cut.text[:-1])


def test_slow_answers(fake):
    # The delay the fake applies is recorded, so no wall-clock measurement is needed to see it.
    fake.set_faults(slow_seconds=0.3)
    assert get(fake, type="backlinks_tld", target=OWN).status_code == 200
    assert fake.waited == [0.3]
    # A client that will not wait that long gets no answer (the delay is before the answer, not after).
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(fake.url, params={"key": DEFAULT_KEY, "type": "backlinks_tld", "target": OWN}, timeout=0.1)
    assert fake.waited == [0.3, 0.3]
    fake.clear_faults()
    assert get(fake, type="backlinks_tld", target=OWN).status_code == 200
    assert fake.waited == [0.3, 0.3]  # no fault, no delay


def test_error_bodies_can_come_with_another_http_status(fake):
    fake.error_http_status = 403
    response = get(fake, key="guess", type="backlinks", target=OWN)
    assert response.status_code == 403 and response.text.startswith("ERROR 120")


def test_frames_keyed_by_url_or_www_find_the_same_target():
    frames = sample_frames(("shop.example",), backlinks=10)
    with FakeSemrush({("backlinks_tld", "https://www.Shop.example/"): frames[("backlinks_tld", "shop.example")]}) as s:
        assert get(s, type="backlinks_tld", target="shop.example").text.startswith("zone;")
        assert get(s, type="backlinks_tld", target="www.shop.example").text.startswith("zone;")


def test_from_demo_serves_the_demo_exports():
    with FakeSemrush.from_demo() as server:
        targets = {target for report, target in server._frames if report == "backlinks_refdomains"}
        assert targets
        answer = get(server, type="backlinks_refdomains", target=sorted(targets)[0], display_limit="3")
        assert answer.text.startswith("domain_ascore;domain;backlinks_num")


def test_the_command_line_prints_the_url_to_use(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "tools.fake_semrush", "--port", "0", "--synthetic",
                                "--key", "cli-key"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        url = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not url:
            line = process.stdout.readline()
            if line.strip().startswith("SEMRUSH_API_URL="):
                url = line.strip().split("=", 1)[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/analytics/v1/")
        answer = httpx.get(url, params={"key": "cli-key", "type": "backlinks_tld", "target": "example.com"},
                           timeout=5)
        assert answer.text.startswith("zone;domains_num;backlinks_num")
        faults = httpx.post(url.replace("/analytics/v1/", "/__fake__/faults"), json={"burst_429": 1}, timeout=5)
        assert json.loads(faults.text)["burst_429"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sample_frames_are_canonical_and_deterministic():
    first = sample_frames(("a.com", "b.com"), backlinks=50)
    second = sample_frames(("a.com", "b.com"), backlinks=50)
    assert first.keys() == second.keys()
    for key in first:
        pd.testing.assert_frame_equal(first[key], second[key])
    domains = [set(first[("backlinks_refdomains", target)]["domain"]) for target in ("a.com", "b.com")]
    assert domains[0] & domains[1]  # competitors share some referring domains, so gap reports are not empty


def test_the_leak_key_is_just_another_accepted_key(fake):
    assert get(fake, key=LEAK_KEY, type="backlinks_tld", target=OWN).text.startswith("zone;")
