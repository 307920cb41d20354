"""Typed Semrush API errors, each with a message a founder can act on.

The API key must never reach a message, a repr, the exception's args or a chained exception:
httpx errors carry request URLs with `key=...`. Everything wrapped here goes through `redact`,
and the client raises these outside its `except` blocks so no original exception is chained.
"""

from __future__ import annotations

import re

_ERROR_BODY = re.compile(r"\A\s*ERROR\s+(\d+)\s*::\s*(.*?)\s*\Z", re.S)
_KEY_PARAM = re.compile(r"(?i)(\bkey=)[^&\s'\"<>]*")


def redact(text: object, *secrets: str) -> str:
    """`key=...` query parameters and any given secret replaced by `***`."""
    out = _KEY_PARAM.sub(r"\1***", str(text))
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out


class SemrushError(Exception):
    """Any failure talking to Semrush. `message` says what happened and what to do next."""

    retryable = False
    default_message = "Semrush answered with an error."

    def __init__(self, message: str | None = None, *, code: int | None = None, http_status: int | None = None,
                 detail: str = "") -> None:
        self.message = message or self.default_message
        self.code = code
        self.http_status = http_status
        self.detail = detail  # technical, already redacted; for logs and "show details"
        self.units_spent = 0  # units already spent by the failed operation (pages that did succeed)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        bits = [repr(self.message)]
        if self.code is not None:
            bits.append(f"code={self.code}")
        if self.http_status is not None:
            bits.append(f"http_status={self.http_status}")
        return f"{type(self).__name__}({', '.join(bits)})"


class NothingFound(SemrushError):
    """ERROR 50: Semrush has no rows for this query. The client turns it into an empty frame."""

    default_message = "Semrush has no data for this target and report."


class WrongKey(SemrushError):
    default_message = (
        "Your Semrush API key was rejected. Check it in Semrush → Subscription info → API units, copy it "
        "again and paste it into Linkscope's settings. The API needs a Business plan with API units."
    )


class UnitsExhausted(SemrushError):
    default_message = (
        "Your Semrush API units balance is zero. Buy more units in Semrush → Subscription info → API units, "
        "or import Semrush export files instead: they cost no API units."
    )


class LimitExceeded(SemrushError):
    default_message = (
        "Semrush says this API key has reached its total limit. Wait until the limit resets, raise it in "
        "Semrush → Subscription info → API units, or import Semrush export files meanwhile."
    )


class RateLimited(SemrushError):
    retryable = True
    default_message = (
        "Semrush asked Linkscope to slow down (too many requests per second) and kept refusing after several "
        "polite retries. Wait a minute and try again."
    )


class ServerError(SemrushError):
    retryable = True
    default_message = (
        "Semrush's servers had a problem answering (this is on their side). Linkscope retried a few times; "
        "try again in a few minutes."
    )


class TransportError(SemrushError):
    retryable = True
    default_message = (
        "Linkscope could not reach Semrush (network problem or no answer in time). Check the internet "
        "connection and try again."
    )


class TruncatedResponse(SemrushError):
    retryable = True
    default_message = (
        "Semrush's answer was cut off before the end, several times in a row. Nothing incomplete was kept; "
        "try again in a few minutes."
    )


class UnreadableResponse(SemrushError):
    default_message = "Semrush's answer could not be read as a table. Nothing was kept; try again later."


class BudgetExceeded(SemrushError):
    """Raised before any request when a fetch would overflow the workspace's monthly unit budget."""

    def __init__(self, *, budget: int, spent: int, estimated: int) -> None:
        self.budget, self.spent, self.estimated = budget, spent, estimated
        left = max(budget - spent, 0)
        super().__init__(
            f"This fetch could use about {estimated:,} API units, but only {left:,} of this workspace's "
            f"monthly budget of {budget:,} units are left ({spent:,} spent this month). Lower the row limit, "
            "fetch fewer reports, or raise the budget in the workspace settings."
        )


# Semrush error codes with a type of their own; any other code is a plain SemrushError.
_BY_CODE: dict[int, type[SemrushError]] = {50: NothingFound, 120: WrongKey, 132: UnitsExhausted, 134: LimitExceeded}


def parse_error_body(text: str) -> tuple[int, str] | None:
    """(code, Semrush's message) when the body is an `ERROR NN :: MESSAGE` answer."""
    head = text[:500]
    if not head.lstrip().upper().startswith("ERROR"):
        return None
    first = head.strip().splitlines()[0] if head.strip() else ""
    match = _ERROR_BODY.match(first)
    if not match:
        return None
    return int(match.group(1)), match.group(2)


def error_for(code: int, semrush_text: str, http_status: int | None = None, *secrets: str) -> SemrushError:
    cls = _BY_CODE.get(code, SemrushError)
    said = redact(semrush_text, *secrets)[:200]
    detail = f"ERROR {code} :: {said}"
    if cls is SemrushError:
        return SemrushError(
            f"Semrush refused the request (ERROR {code}: {said}). Check the report settings; if it keeps "
            "happening, the Semrush API may have changed.",
            code=code, http_status=http_status, detail=detail)
    return cls(code=code, http_status=http_status, detail=detail)
