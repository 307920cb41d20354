"""Semrush Backlinks API: report definitions and unit prices, a polite cached client, unit budgets.

    from lib.semrush import SemrushClient, ResponseCache
    with SemrushClient(key, cache=ResponseCache()) as client:
        result = client.fetch_all("backlinks_refdomains", "example.com", max_rows=5_000)
        result.frame  # canonical lib.schema "referring_domains" frame

Never imports streamlit. The API key never leaves SemrushClient: not in logs, errors, or the cache.
"""

from lib.semrush.cache import CachedResponse, ResponseCache, age_text
from lib.semrush.client import FetchResult, RateLimiter, SemrushClient
from lib.semrush.errors import (
    BudgetExceeded,
    LimitExceeded,
    NothingFound,
    RateLimited,
    SemrushError,
    ServerError,
    TransportError,
    TruncatedResponse,
    UnitsExhausted,
    UnreadableResponse,
    WrongKey,
)
from lib.semrush.fetch import fetch_workspace_reports
from lib.semrush.reports import REPORTS, UNIT_PRICES, Overview, Report, estimate_units, get_report

__all__ = [
    "BudgetExceeded", "CachedResponse", "FetchResult", "LimitExceeded", "NothingFound", "Overview", "REPORTS",
    "RateLimited", "RateLimiter", "Report", "ResponseCache", "SemrushClient", "SemrushError", "ServerError",
    "TransportError", "TruncatedResponse", "UNIT_PRICES", "UnitsExhausted", "UnreadableResponse", "WrongKey",
    "age_text", "estimate_units", "fetch_workspace_reports", "get_report",
]
