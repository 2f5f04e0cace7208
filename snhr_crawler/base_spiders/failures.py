"""Why a request came to nothing: one short reason per failure, for stats and the pending queue.

``snhr/<kind>/failed/<reason>`` counts failures, and a failed article waits
in the archive's pending table under the same reason. Some refusals are
decisions, not failures: robots.txt forbids the page, or it lives off the
source's hosts; they are counted as ``ignored`` and not retried. The run's
request budget being spent is neither: the article waits for the next run
(``deferred``), without an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError

from snhr_crawler.middlewares.complete_body import TruncatedResponse
from snhr_crawler.middlewares.source_hosts import OffSourceRequest, RunBudgetSpent

#: What the outcome means for the article: retried later, or a decision to leave it.
FAILED, IGNORED, DEFERRED = "failed", "ignored", "deferred"


@dataclass(frozen=True)
class Outcome:
    kind: str  # FAILED, IGNORED or DEFERRED
    reason: str  # http_500, truncated, too_large, timeout, dns, connection, robots, offsite, ...
    detail: str


def classify(failure: Any) -> Outcome:
    """The outcome of a request's errback ``failure`` (a Twisted ``Failure``)."""
    detail = failure.getErrorMessage() or failure.type.__name__
    if failure.check(HttpError):
        status = failure.value.response.status
        return Outcome(FAILED, f"http_{status}", f"HTTP {status}")
    if failure.check(TruncatedResponse, ResponseDataLossError):
        return Outcome(FAILED, "truncated", detail)
    if failure.check(DownloadCancelledError) or (
        failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in detail
    ):
        return Outcome(FAILED, "too_large", detail)
    if failure.check(RunBudgetSpent):
        return Outcome(DEFERRED, "budget", detail)
    if failure.check(OffSourceRequest):
        return Outcome(IGNORED, "offsite", detail)
    if failure.check(IgnoreRequest):
        return Outcome(IGNORED, "robots" if "robots" in detail.lower() else "ignored", detail)
    if failure.check(DownloadTimeoutError):
        return Outcome(FAILED, "timeout", detail)
    if failure.check(CannotResolveHostError):
        return Outcome(FAILED, "dns", detail)
    if failure.check(DownloadConnectionRefusedError):
        return Outcome(FAILED, "connection", detail)
    return Outcome(FAILED, "download", detail)
