"""A local fake of the Semrush Backlinks API (analytics/v1): a real HTTP server on 127.0.0.1.

It speaks the real wire format: `GET /analytics/v1/?key=...&type=...&target=...&export_columns=...`
answered as text/plain, semicolon-separated, one header row of the requested column codes, Unix
timestamps for dates, `true` / `false` flags, and `ERROR NN :: MESSAGE` bodies for errors.
display_limit / display_offset follow Semrush's documented meaning (the limit is the end position
when an offset is given); display_sort and a simple display_filter are honoured.

Data comes from canonical frames, {(report type, target): frame}. Reports with no frame of their
own are derived the way Semrush relates them: the overview, comparison and history from a
target's backlinks and referring domains, the backlink gap (backlinks_matrix) from the targets'
referring domains. Without any data for a target the answer is `ERROR 50 :: NOTHING FOUND`.

Faults for tests and demos, settable from Python (`set_faults`) or over HTTP
(`POST /__fake__/faults` with a JSON object; `GET /__fake__/stats`; `POST /__fake__/reset`):
burst_429=n, server_error=n, slow_seconds=x, truncate=n (+ truncate_mode "content_length" or
"short"), error_code=120|132|134|50|... (every request answers that error until cleared).

    python -m tools.fake_semrush --port 8765     # demo data; prints the SEMRUSH_API_URL to use

Rows come back in stored order unless display_sort is given (the real API sorts by a default).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from lib.normalize import canonicalize
from lib.schema import KINDS, match_header
from lib.semrush.reports import MAX_PAGE_ROWS, REPORTS, Report, units_for_answer

DEFAULT_KEY = "demo-key-0000"
API_PATH = "/analytics/v1/"

ERROR_TEXT = {
    50: "NOTHING FOUND",
    120: "WRONG KEY - ID PAIR",
    132: "API UNITS BALANCE IS ZERO",
    134: "TOTAL LIMIT EXCEEDED",
}
# The fake's own wording for requests it cannot understand; the real API's exact text is unknown.
_BAD_REQUEST = 40, "MANDATORY PARAMETER NOT SET OR WRONG"

_TYPE_FILTERS = {
    "follow": ("nofollow", False), "nofollow": ("nofollow", True), "newlink": ("new_link", True),
    "lostlink": ("lost_link", True), "sponsored": ("sponsored", True), "ugc": ("ugc", True),
    "text": ("text", True), "image": ("image", True), "form": ("form", True), "frame": ("frame", True),
    "sitewide": ("sitewide", True),
}


@dataclass
class Faults:
    burst_429: int = 0
    server_error: int = 0
    slow_seconds: float = 0.0
    truncate: int = 0
    truncate_mode: str = "content_length"  # or "short": a consistent Content-Length, the body cut mid-line
    error_code: int | None = None


def _norm_target(target: str) -> str:
    text = str(target).strip().lower()
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if text.startswith("www."):
        text = text[4:]
    return text.rstrip("/")


class FakeSemrush:
    """The fake API. Use as a context manager: `with FakeSemrush.from_frames(frames) as server: server.url`."""

    def __init__(self, frames: Mapping[tuple[str, str], pd.DataFrame] | None = None, *,
                 keys: Iterable[str] = (DEFAULT_KEY,), host: str = "127.0.0.1", port: int = 0,
                 error_http_status: int = 200) -> None:
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}
        for (report, target), frame in (frames or {}).items():
            self.add_frame(report, target, frame)
        self.keys = set(keys)
        self.host, self.port = host, port
        self.error_http_status = error_http_status  # HTTP status sent with ERROR bodies
        self.faults = Faults()
        self.request_count = 0
        self.units_served = 0
        self.requests: list[dict[str, object]] = []  # query parameters of each request, without the key
        self.arrivals: list[float] = []  # time.monotonic() of each API request (diagnostics only)
        self.waited: list[float] = []  # each slow_seconds delay applied, so tests check it without a clock
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_frames(cls, frames: Mapping[tuple[str, str], pd.DataFrame], **kwargs: object) -> "FakeSemrush":
        return cls(frames, **kwargs)

    @classmethod
    def from_demo(cls, today: date | None = None, **kwargs: object) -> "FakeSemrush":
        """Serve the demo site and its competitors, read from the demo's own Semrush exports."""
        from lib.demo import write_demo_exports  # imported here: written in parallel, optional for tests
        from lib.readers import read_export

        frames: dict[tuple[str, str], pd.DataFrame] = {}
        with tempfile.TemporaryDirectory(prefix="fake-semrush-") as tmp:
            demo_files = write_demo_exports(Path(tmp), today) if today else write_demo_exports(Path(tmp))
            for demo_file in demo_files:
                for table in read_export(demo_file.path.read_bytes(), demo_file.path.name):
                    kind = table.normalized.kind
                    if not kind.api_report:
                        continue
                    if kind.per_domain_columns:
                        target = ",".join(table.normalized.compared_domains)
                    else:
                        target = demo_file.target_domain
                    frames[(kind.api_report, target)] = table.normalized.frame
        return cls(frames, **kwargs)

    def add_frame(self, report: str, target: str, frame: pd.DataFrame) -> None:
        if report not in REPORTS:
            raise ValueError(f"unknown report {report!r}")
        key = ",".join(_norm_target(t) for t in str(target).split(",")) if REPORTS[report].multi_target \
            else _norm_target(target)
        self._frames[(report, key)] = frame.reset_index(drop=True)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The SEMRUSH_API_URL to give the client."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._httpd.server_address[1]}{API_PATH}"

    def start(self) -> "FakeSemrush":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server((self.host, self.port), handler)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-semrush", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow answers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeSemrush":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults and counters --------------------------------------------------------------------

    def set_faults(self, **changes: object) -> Faults:
        names = {f.name for f in fields(Faults)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))}")
        with self._lock:
            for name, value in changes.items():
                setattr(self.faults, name, value)
            return Faults(**asdict(self.faults))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults = Faults()

    def reset_counts(self) -> None:
        with self._lock:
            self.request_count = 0
            self.units_served = 0
            self.requests.clear()
            self.arrivals.clear()
            self.waited.clear()

    def stats(self) -> dict[str, object]:
        with self._lock:
            return {"requests": self.request_count, "units_served": self.units_served, "faults": asdict(self.faults)}

    def _take_faults(self) -> tuple[float, int | None, int | None, str | None]:
        """(slow seconds, HTTP status to fail with, Semrush error code, truncate mode) for one request."""
        with self._lock:
            f = self.faults
            status = None
            if f.burst_429 > 0:
                f.burst_429 -= 1
                status = 429
            elif f.server_error > 0:
                f.server_error -= 1
                status = 500
            truncate = None
            if status is None and f.error_code is None and f.truncate > 0:
                f.truncate -= 1
                truncate = f.truncate_mode
            return f.slow_seconds, status, f.error_code, truncate

    # -- answering ------------------------------------------------------------------------------

    def answer(self, query: Mapping[str, list[str]]) -> tuple[str, int]:
        """(body, units) for a query whose key has been checked; errors are ERROR bodies."""
        def one(name: str, default: str = "") -> str:
            values = query.get(name) or [default]
            return values[0]

        report_type = one("type")
        spec = REPORTS.get(report_type)
        if spec is None:
            return _error(*_BAD_REQUEST), 0
        if spec.multi_target:
            targets = [t for t in query.get("targets[]", []) if t.strip()]
        else:
            targets = [one("target")] if one("target").strip() else []
        if not targets:
            return _error(*_BAD_REQUEST), 0
        table = self._table(spec, targets, query.get("target_types[]") or [one("target_type", "root_domain")])
        if table is None or not len(table):
            return _error(50), 0
        columns = [c.strip() for c in one("export_columns").split(",") if c.strip()] or list(spec.columns)
        table = _filter(table, one("display_filter"), spec, targets)
        table = _sort(table, one("display_sort"), spec, targets)
        if spec.paged:
            offset = max(_int(one("display_offset", "0")), 0)
            limit = _int(one("display_limit", "0"))
            end = limit if limit > 0 else offset + MAX_PAGE_ROWS
            table = table.iloc[offset:end]
        if not len(table):
            return _error(50), 0
        body = _render(table, columns, spec, targets)
        return body, units_for_answer(spec, len(table))

    def _table(self, spec: Report, targets: list[str], types: list[str]) -> pd.DataFrame | None:
        keys = [_norm_target(t) for t in targets]
        if spec.multi_target:
            explicit = self._frames.get((spec.type, ",".join(keys)))
            if explicit is not None:
                return _gap_wide(explicit, keys) if spec.type == "backlinks_matrix" else explicit
            if spec.type == "backlinks_matrix":
                return self._matrix(keys)
            rows = []
            for target, target_type in zip(keys, types + [types[-1]] * len(keys)):
                overview = self._overview(target)
                if overview is not None:
                    rows.append(overview.assign(target=target, target_type=target_type))
            return pd.concat(rows, ignore_index=True) if rows else None
        explicit = self._frames.get((spec.type, keys[0]))
        if explicit is not None:
            return explicit
        if types and types[0] == "url" and "/" in keys[0]:
            return self._url_table(spec, keys[0])
        if spec.type == "backlinks_overview":
            return self._overview(keys[0])
        if spec.type == "backlinks_historical":
            return self._history(keys[0])
        return None

    def _url_table(self, spec: Report, url: str) -> pd.DataFrame | None:
        """A URL target (host/path): the host's backlinks that point at that page, and their overview."""
        links = self._frames.get(("backlinks", url.split("/", 1)[0]))
        if links is None:
            return None
        links = links[(links["target_url"].map(_norm_target) == url).to_numpy()].reset_index(drop=True)
        if spec.type == "backlinks":
            return links
        if spec.type == "backlinks_overview" and len(links):
            overview = self._overview_of(links, None)
            # For a URL Semrush scores the page; the fake takes its best linking page's score as a stand-in.
            overview["authority_score"] = pd.array([links["page_ascore"].max()], dtype="Int64")
            return overview
        return None

    def _overview(self, target: str) -> pd.DataFrame | None:
        explicit = self._frames.get(("backlinks_overview", target))
        if explicit is not None:
            return explicit
        return self._overview_of(self._frames.get(("backlinks", target)),
                                 self._frames.get(("backlinks_refdomains", target)))

    def _overview_of(self, links: pd.DataFrame | None, domains: pd.DataFrame | None) -> pd.DataFrame | None:
        if links is None and domains is None:
            return None
        row: dict[str, object] = {"authority_score": _authority_score(domains)}
        if links is not None:
            kinds = links["link_type"] if "link_type" in links else pd.Series("text", index=links.index)
            row.update(
                backlinks=len(links), urls=links["source_url"].nunique(),
                follow_links=int((~links["nofollow"]).sum()), nofollow_links=int(links["nofollow"].sum()),
                sponsored_links=int(links["sponsored"].sum()), ugc_links=int(links["ugc"].sum()),
                text_links=int((kinds == "text").sum()), image_links=int((kinds == "image").sum()),
                form_links=int((kinds == "form").sum()), frame_links=int((kinds == "frame").sum()),
                domains=links["source_domain"].nunique(),
            )
        if domains is not None:
            ips = domains["ip"][domains["ip"] != ""]
            row.update(domains=len(domains), ips=ips.nunique(),
                       ip_subnets=ips.str.rsplit(".", n=1).str[0].nunique())
            row.setdefault("backlinks", int(domains["backlinks"].sum()))
        return pd.DataFrame([row]).astype({k: "Int64" for k in row})

    def _history(self, target: str) -> pd.DataFrame | None:
        links = self._frames.get(("backlinks", target))
        if links is None or not len(links) or links["last_seen"].isna().all():
            return None
        latest = links["last_seen"].max().to_period("M").to_timestamp()
        score = _authority_score(self._frames.get(("backlinks_refdomains", target)))
        rows = []
        for months_back in range(12):
            when = latest - pd.DateOffset(months=months_back)
            alive = (links["first_seen"].fillna(when) <= when) & (links["last_seen"].fillna(when) >= when)
            rows.append({"date": when, "backlinks": int(alive.sum()),
                         "domains": int(links.loc[alive, "source_domain"].nunique()), "authority_score": score})
        frame = pd.DataFrame(rows)
        return frame.astype({"date": "datetime64[ns]", "backlinks": "Int64", "domains": "Int64",
                             "authority_score": "Int64"})

    def _matrix(self, targets: list[str]) -> pd.DataFrame | None:
        parts = []
        for target in targets:
            domains = self._frames.get(("backlinks_refdomains", target))
            if domains is not None:
                parts.append(domains[["domain", "domain_ascore", "backlinks"]].assign(compared_domain=target))
        if not parts:
            return None
        long = pd.concat(parts, ignore_index=True)
        long = long.assign(matches=long.groupby("domain")["compared_domain"].transform("nunique"))
        return _gap_wide(long, targets)


def _authority_score(domains: pd.DataFrame | None) -> int | None:
    # A stand-in: the fake has no link graph, so the target's score is read off its best linking domains.
    if domains is None or not len(domains) or domains["domain_ascore"].isna().all():
        return None
    return int(domains["domain_ascore"].dropna().astype(float).quantile(0.9) * 0.6)


def _gap_wide(long: pd.DataFrame, targets: list[str]) -> pd.DataFrame:
    """Long gap rows (domain, compared_domain, backlinks) as Semrush sends them: one column per target."""
    base = long.drop_duplicates("domain")[["domain", "domain_ascore"]].reset_index(drop=True)
    compared = long["compared_domain"].map(_norm_target)
    for target in targets:
        counts = long.loc[(compared == target).to_numpy()].groupby("domain")["backlinks"].sum()
        base[target] = base["domain"].map(counts).fillna(0).astype("Int64")
    base["matches"] = (base[targets] > 0).sum(axis=1).astype("Int64")
    return base


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _error(code: int, text: str | None = None) -> str:
    return f"ERROR {code} :: {text or ERROR_TEXT.get(code, 'UNKNOWN ERROR')}"


def _column_for(field: str, spec: Report, targets: list[str], table: pd.DataFrame) -> str | None:
    """The table column a sort / filter field names: an export code, or one of Semrush's special names."""
    field = field.strip().lower()
    if field in spec.code_to_column:
        return spec.code_to_column[field]
    if field in ("domain_score", "score"):
        return "domain_ascore" if "domain_ascore" in table else "authority_score"
    if field in ("matchesnum", "matches_num"):
        return "matches"
    if field.startswith("backlinksnum_"):
        index = _int(field.rsplit("_", 1)[1])
        return _norm_target(targets[index]) if index < len(targets) else None
    return field if field in table.columns else None


def _sort(table: pd.DataFrame, sort: str, spec: Report, targets: list[str]) -> pd.DataFrame:
    if not sort or "_" not in sort:
        return table
    field, direction = sort.rsplit("_", 1)
    column = _column_for(field, spec, targets, table)
    if column is None or column not in table or direction.lower() not in ("asc", "desc"):
        return table
    return table.sort_values(column, ascending=direction.lower() == "asc", kind="stable", na_position="last")


def _filter(table: pd.DataFrame, spec_text: str, spec: Report, targets: list[str]) -> pd.DataFrame:
    """Semrush filters: `+|field|op|value` groups joined by `|`, all of them must hold; `-` negates."""
    if not spec_text:
        return table
    tokens = spec_text.split("|")
    keep = pd.Series(True, index=table.index)
    for start in range(0, len(tokens) - 3, 4):
        sign, field, op, value = (t.strip() for t in tokens[start:start + 4])
        if field.lower() == "type":
            column, wanted = _TYPE_FILTERS.get(value.lower(), (None, True))
            if column is None or column not in table:
                continue
            match = table[column].astype(bool) == wanted
        else:
            column = _column_for(field, spec, targets, table)
            if column is None or column not in table:
                continue
            match = _compare(table[column], op.lower(), value)
        keep &= ~match if sign == "-" else match
    return table[keep.to_numpy()]


def _compare(values: pd.Series, op: str, value: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        numbers = values.astype("Float64")
        result = {"gt": numbers > number, "lt": numbers < number}.get(op, numbers == number)
        return result.fillna(False).astype(bool)
    text = values.astype("str").fillna("").str.lower()
    value = value.lower()
    if op == "bw":
        return text.str.startswith(value)
    if op == "ew":
        return text.str.endswith(value)
    if op == "co":
        return text.str.contains(value, regex=False)
    return text == value


def _render(table: pd.DataFrame, columns: list[str], spec: Report, targets: list[str]) -> str:
    out: dict[str, pd.Series] = {}
    for code in columns:
        if code in spec.expanding_columns:
            for target in targets:
                name = _norm_target(target)
                out[name] = _cells(table[name]) if name in table else pd.Series("", index=table.index)
            continue
        column = spec.code_to_column.get(code, code)
        out[code] = _cells(table[column]) if column in table else pd.Series("", index=table.index)
    buffer = io.StringIO()
    pd.DataFrame(out).to_csv(buffer, sep=";", index=False, lineterminator="\n")
    return buffer.getvalue()


def _cells(values: pd.Series) -> pd.Series:
    """Values as the API writes them: Unix seconds, true/false, plain integers, empty for missing."""
    if pd.api.types.is_datetime64_any_dtype(values):
        seconds = (values - pd.Timestamp(0)) // pd.Timedelta(seconds=1)
        return seconds.astype("Int64").astype("str").replace("<NA>", "")
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "true", False: "false"}).fillna("false").astype("str")
    if pd.api.types.is_integer_dtype(values):
        return values.astype("Int64").astype("str").replace("<NA>", "")
    return values.astype("object").where(values.notna(), "").astype("str")


def _cut(body: bytes) -> bytes:
    """The body cut inside its last line, before that line's first separator."""
    text = body.rstrip(b"\n")
    start = text.rfind(b"\n") + 1
    separator = text.find(b";", start)
    cut = separator if separator > start else start + max((len(text) - start) // 2, 1)
    return text[:cut]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (timeout tests) leaves a broken pipe behind: not worth a traceback.
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSemrush
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections are dropped after this
    server_version = "FakeSemrush/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the request line holds the key
        pass

    def _send(self, status: int, body: str | bytes, content_type: str = "text/plain; charset=utf-8",
              headers: Mapping[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        if parts.path == "/__fake__/stats":
            self._send(200, json.dumps(self.fake.stats()), "application/json")
            return
        if parts.path.rstrip("/") != API_PATH.rstrip("/"):
            self._send(404, "Not Found")
            return
        query = parse_qs(parts.query, keep_blank_values=True)
        fake = self.fake
        with fake._lock:
            fake.arrivals.append(time.monotonic())
            fake.request_count += 1
            fake.requests.append({k: v if len(v) > 1 else v[0] for k, v in query.items() if k != "key"})
        slow, status, error_code, truncate = fake._take_faults()
        if slow:
            with fake._lock:
                fake.waited.append(slow)
            fake._stopping.wait(slow)
        if status == 429:
            self._send(429, "Too Many Requests", headers={"Retry-After": "0"})
            return
        if status == 500:
            self._send(500, "Internal Server Error")
            return
        if error_code is not None:
            self._send(fake.error_http_status, _error(int(error_code)))
            return
        if (query.get("key") or [""])[0] not in fake.keys:
            self._send(fake.error_http_status, _error(120))
            return
        body, units = fake.answer(query)
        if body.startswith("ERROR"):
            self._send(fake.error_http_status, body)
            return
        with fake._lock:
            fake.units_served += units
        data = body.encode()
        if truncate is None:
            self._send(200, data)
            return
        cut = _cut(data)
        if truncate == "short":
            self._send(200, cut)
            return
        # The declared length is the full body; the connection closes early: httpx sees it.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(cut)
        self.wfile.flush()
        self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        if path == "/__fake__/faults":
            try:
                changes = json.loads(payload or b"{}")
                faults = self.fake.set_faults(**changes)
            except (ValueError, TypeError) as error:
                self._send(400, json.dumps({"error": str(error)}), "application/json")
                return
            self._send(200, json.dumps(asdict(faults)), "application/json")
        elif path == "/__fake__/reset":
            self.fake.clear_faults()
            self.fake.reset_counts()
            self._send(200, json.dumps(self.fake.stats()), "application/json")
        else:
            self._send(404, "Not Found")


# -- synthetic data -----------------------------------------------------------------------------

_TLDS = ("com", "net", "org", "co.uk", "de", "io", "fr", "blogspot.com")
_COUNTRIES = {"us": "United States", "de": "Germany", "gb": "United Kingdom", "fr": "France", "ca": "Canada"}
_ANCHORS = ("{brand}", "{brand}.com", "click here", "read more", "best running shoes", "https://{target}/",
            "", "this guide", "trail shoes review", "{brand} discount")


def sample_frames(targets: Iterable[str] = ("example.com",), backlinks: int = 300, *, seed: int = 7,
                  today: date = date(2024, 6, 1)) -> dict[tuple[str, str], pd.DataFrame]:
    """Deterministic canonical frames for each target: backlinks, and the reports derived from them.

    Built as raw strings with canonical headers and passed through lib.normalize, so they are
    typed exactly like imported data.
    """
    frames: dict[tuple[str, str], pd.DataFrame] = {}
    for target in targets:
        rng = random.Random(seed * 1_000_003 + zlib.crc32(target.encode()))
        brand = target.split(".")[0]
        pool = max(backlinks // 3, 1)
        # A fifth of each target's referring domains are shared hubs, so gap reports have overlap.
        shared = random.Random(seed)
        hubs = [f"hub{k}.{shared.choice(_TLDS)}" for k in range(pool // 5)]
        domains = hubs + [f"{rng.choice(['site', 'blog', 'news', 'shop', 'forum'])}{k}-{brand}.{rng.choice(_TLDS)}"
                          for k in range(pool - len(hubs))]
        domain_as = {d: (zlib.crc32(d.encode()) % 90) if d in hubs else rng.randint(0, 95) for d in domains}
        domain_ip = {d: _fake_ip(d) for d in domains}
        domain_cc = {d: list(_COUNTRIES)[zlib.crc32(d.encode()) % len(_COUNTRIES)] for d in domains}
        rows = []
        base = datetime.combine(today, datetime.min.time())
        for i in range(backlinks):
            domain = domains[i % pool] if i < pool else rng.choice(domains)
            host = domain if rng.random() < 0.6 else f"www.{domain}"
            first = base - timedelta(days=rng.randint(30, 900), seconds=rng.randint(0, 86399))
            lost = rng.random() < 0.1
            last = (first + timedelta(days=rng.randint(1, 20))) if lost else base - timedelta(
                seconds=rng.randint(0, 5 * 86400))
            link_type = rng.choices(["text", "image", "form", "frame"], [85, 10, 3, 2])[0]
            rows.append({
                "page_ascore": str(max(domain_as[domain] - rng.randint(0, 20), 0)),
                "source_title": f"{rng.choice(['Review', 'Guide', 'News', 'Top 10'])}: {brand} #{i};'quoted'",
                "source_url": f"https://{host}/{rng.choice(['post', 'article', 'p'])}-{i}",
                "target_url": f"https://{target}/{rng.choice(['', 'shoes/', 'blog/trail', 'about'])}",
                "anchor": rng.choice(_ANCHORS).format(brand=brand, target=target),
                "external_links": str(rng.randint(1, 200)), "internal_links": str(rng.randint(0, 400)),
                "nofollow": _flag(rng.random() < 0.25), "sponsored": _flag(rng.random() < 0.05),
                "ugc": _flag(rng.random() < 0.05), "text": _flag(link_type == "text"),
                "frame": _flag(link_type == "frame"), "form": _flag(link_type == "form"),
                "image": _flag(link_type == "image"), "sitewide": _flag(rng.random() < 0.08),
                "first_seen": first.strftime("%Y-%m-%d %H:%M:%S"), "last_seen": last.strftime("%Y-%m-%d %H:%M:%S"),
                "new_link": _flag(first > base - timedelta(days=45)), "lost_link": _flag(lost),
            })
        links = _canonical(pd.DataFrame(rows), "backlinks")
        frames[("backlinks", target)] = links

        by_domain = links.groupby("source_domain", sort=False)
        refdomains = pd.DataFrame({
            "domain_ascore": [str(domain_as.get(d, 10)) for d in by_domain.groups],
            "domain": list(by_domain.groups),
            "backlinks": by_domain.size().astype(str).to_list(),
            "ip": [domain_ip.get(d, "") for d in by_domain.groups],
            "country": [domain_cc.get(d, "") for d in by_domain.groups],
            "first_seen": by_domain["first_seen"].min().dt.strftime("%Y-%m-%d %H:%M:%S").to_list(),
            "last_seen": by_domain["last_seen"].max().dt.strftime("%Y-%m-%d %H:%M:%S").to_list(),
        })
        refdomains_frame = _canonical(refdomains, "referring_domains")
        frames[("backlinks_refdomains", target)] = refdomains_frame
        frames[("backlinks_anchors", target)] = _canonical(_counts(links, "anchor", "source_domain"), "anchors")
        pages = _counts(links, "target_url", "source_domain")
        pages["title"] = pages["target_url"].str.rstrip("/").str.rsplit("/", n=1).str[-1].str.title()
        pages["response_code"] = "200"
        frames[("backlinks_pages", target)] = _canonical(pages, "indexed_pages")
        ips = _counts(refdomains_frame.assign(source_domain=refdomains_frame["domain"]).loc[
            refdomains_frame.index.repeat(refdomains_frame["backlinks"].astype(int))], "ip", "source_domain")
        ips["country"] = ips["ip"].map({domain_ip[d]: domain_cc[d] for d in domains})
        frames[("backlinks_refips", target)] = _canonical(ips, "referring_ips")
        zones = refdomains_frame.assign(zone=refdomains_frame["tld"], source_domain=refdomains_frame["domain"])
        zones = zones.loc[zones.index.repeat(zones["backlinks"].astype(int))]
        frames[("backlinks_tld", target)] = _canonical(_counts(zones, "zone", "source_domain", dates=False), "tld")
        geo = refdomains_frame.assign(country=refdomains_frame["country"].map(_COUNTRIES),
                                      source_domain=refdomains_frame["domain"])
        geo = geo.loc[geo.index.repeat(geo["backlinks"].astype(int))]
        frames[("backlinks_geo", target)] = _canonical(_counts(geo, "country", "source_domain", dates=False), "geo")
    return frames


def _fake_ip(domain: str) -> str:
    h = zlib.crc32(domain.encode())
    return f"{11 + h % 200}.{(h >> 8) % 256}.{(h >> 16) % 10}.{1 + (h >> 20) % 254}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _counts(frame: pd.DataFrame, by: str, domain_column: str, dates: bool = True) -> pd.DataFrame:
    groups = frame.groupby(by, sort=False)
    out = pd.DataFrame({by: list(groups.groups), "domains": groups[domain_column].nunique().astype(str).to_list(),
                        "backlinks": groups.size().astype(str).to_list()})
    if dates and "first_seen" in frame:
        out["first_seen"] = groups["first_seen"].min().dt.strftime("%Y-%m-%d %H:%M:%S").to_list()
        out["last_seen"] = groups["last_seen"].max().dt.strftime("%Y-%m-%d %H:%M:%S").to_list()
    return out.sort_values("backlinks", key=lambda s: s.astype(int), ascending=False, kind="stable")


def _canonical(raw: pd.DataFrame, kind: str) -> pd.DataFrame:
    raw = raw.reset_index(drop=True).astype("str")
    return canonicalize(raw, match_header(list(raw.columns), KINDS[kind])).frame


# -- command line -------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A local fake Semrush Backlinks API, for development.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--key", action="append", help=f"accepted API key (repeatable; default {DEFAULT_KEY})")
    parser.add_argument("--synthetic", action="store_true", help="serve generated data instead of the demo's")
    args = parser.parse_args(argv)
    keys = args.key or [DEFAULT_KEY]
    fake: FakeSemrush
    if args.synthetic:
        fake = FakeSemrush(sample_frames(("example.com", "competitor.com")), keys=keys, host=args.host, port=args.port)
    else:
        try:
            fake = FakeSemrush.from_demo(keys=keys, host=args.host, port=args.port)
        except ImportError as error:
            print(f"Demo data unavailable ({error}); serving generated data for example.com, competitor.com.",
                  file=sys.stderr)
            fake = FakeSemrush(sample_frames(("example.com", "competitor.com")), keys=keys, host=args.host,
                               port=args.port)
    with fake:
        targets = sorted({target for _, target in fake._frames})
        print(f"Fake Semrush API listening. Use:\n  SEMRUSH_API_URL={fake.url}\n  API key: {keys[0]}\n"
              f"  targets: {', '.join(targets)}\nFaults: POST {fake.url.replace(API_PATH, '/__fake__/faults')} "
              "with JSON, e.g. {\"burst_429\": 3}. Ctrl-C stops.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
