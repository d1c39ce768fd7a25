"""The request core every resource goes through (standard library only: urllib)."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from ._errors import APIConnectionError, error_for
from ._pagination import Page

DEFAULT_BASE_URL = "https://api.tunetrail.dev"
DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRY_WAIT = 60.0
_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 8.0
# Added to a Retry-After wait so a crowd of clients does not all retry at the window's first instant.
_RETRY_AFTER_JITTER = 0.25
# Idempotent methods: retried after 502/503/504 or a lost connection (a 429 is retried for any method).
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_RETRIED_STATUSES = frozenset({502, 503, 504})
_USER_AGENT = "tunetrail-python/0.1.0"

Query = Mapping[str, Any]


@dataclass(frozen=True)
class RateLimitState:
    """The rate-limit headers of the last answer that carried them."""

    limit: int
    """``X-RateLimit-Limit``: the limit of the window with the fewest requests left."""
    remaining: int
    """``X-RateLimit-Remaining``."""
    reset: str
    """``X-RateLimit-Reset``: when that window resets (ISO 8601)."""
    policy: Optional[str]
    """``RateLimit-Policy``: all three windows, or None."""


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt))."""
    return random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt))


def _retry_after(headers: Mapping[str, str]) -> Optional[int]:
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(when.timestamp() - time.time() + 0.999))


def _rate_limit(headers: Mapping[str, str]) -> Optional[RateLimitState]:
    limit, remaining, reset = (headers.get(f"x-ratelimit-{name}") for name in ("limit", "remaining", "reset"))
    if limit is None or remaining is None or reset is None:
        return None
    return RateLimitState(int(limit), int(remaining), reset, headers.get("ratelimit-policy"))


def _parse(headers: Mapping[str, str], raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if "json" not in headers.get("content-type", ""):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def env_var(name: str) -> Optional[str]:
    return os.environ.get(name) or None


class HttpClient:
    """URL and query building, JSON bodies, the Authorization header, timeouts, retries and typed errors."""

    def __init__(
        self,
        *,
        base_url: Optional[str] = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
    ) -> None:
        self.base_url = (base_url or env_var("TUNETRAIL_API_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max(0, max_retries)
        self.timeout = timeout
        self.max_retry_wait = max_retry_wait
        self.last_rate_limit: Optional[RateLimitState] = None
        """The rate-limit headers of the last answer that carried them (API-key routes), or None."""
        self.last_request_id: Optional[str] = None
        self._urlopen: Callable[..., Any] = urllib.request.urlopen
        self._sleep: Callable[[float], None] = time.sleep

    def _authorization(self) -> Optional[str]:
        """The Authorization header value; raises (locally) when the credential is missing or malformed."""
        raise NotImplementedError

    def get(self, path: str, query: Optional[Query] = None) -> Any:
        return self.request("GET", path, query=query)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, json_body=body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.request("PATCH", path, json_body=body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, json_body=body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    def list(self, path: str, query: Optional[Query] = None) -> Page[Any]:
        """The first page of a list route; iterating it walks every item of every page."""
        query = dict(query or {})

        def fetch_page(offset: int) -> Page[Any]:
            return Page(self.get(path, {**query, "offset": offset}), fetch_page)

        return Page(self.get(path, query), fetch_page)

    def url(self, path: str, query: Optional[Query] = None) -> str:
        params = [(name, _query_value(value)) for name, value in (query or {}).items() if value is not None]
        return f"{self.base_url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        json_body: Any = None,
        content: Optional[bytes] = None,
        content_type: Optional[str] = None,
    ) -> Any:
        headers: Dict[str, str] = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        authorization = self._authorization()
        if authorization:
            headers["Authorization"] = authorization
        sent_request_id = str(uuid.uuid4())
        headers["X-Request-Id"] = sent_request_id
        data: Optional[bytes] = None
        if content is not None:
            data = content
            headers["Content-Type"] = content_type or "application/octet-stream"
        elif json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        url = self.url(path, query)
        idempotent = method in _IDEMPOTENT

        attempt = 0
        while True:
            can_retry = attempt < self.max_retries
            try:
                status, answer_headers, raw = self._send(method, url, headers, data)
            except (OSError, http.client.HTTPException) as exc:  # URLError is an OSError
                if idempotent and can_retry:
                    self._sleep(_backoff(attempt))
                    attempt += 1
                    continue
                timed_out = isinstance(exc, socket.timeout) or isinstance(
                    getattr(exc, "reason", None), socket.timeout
                )
                message = (
                    f"Request timed out after {self.timeout} s: {method} {url}"
                    if timed_out
                    else f"Connection error: {method} {url}: {getattr(exc, 'reason', exc)}"
                )
                raise APIConnectionError(message, request_id=sent_request_id, timed_out=timed_out) from exc

            request_id = answer_headers.get("x-request-id") or sent_request_id
            self.last_request_id = request_id
            self.last_rate_limit = _rate_limit(answer_headers) or self.last_rate_limit
            if 200 <= status < 300:
                return _parse(answer_headers, raw)

            retry_after = _retry_after(answer_headers)
            if can_retry:
                wait: Optional[float] = None
                if status == 429:
                    wait = retry_after + random.uniform(0, _RETRY_AFTER_JITTER) if retry_after is not None else _backoff(attempt)
                    if wait > self.max_retry_wait:
                        wait = None
                elif status in _RETRIED_STATUSES and idempotent:
                    wait = min(retry_after, self.max_retry_wait) if retry_after is not None else _backoff(attempt)
                if wait is not None:
                    self._sleep(wait)
                    attempt += 1
                    continue
            parsed = _parse(answer_headers, raw)
            body = parsed if isinstance(parsed, dict) else ({"error": parsed} if isinstance(parsed, str) else None)
            raise error_for(status, body, request_id, answer_headers, retry_after)

    def _send(
        self, method: str, url: str, headers: Mapping[str, str], data: Optional[bytes]
    ) -> Tuple[int, Dict[str, str], bytes]:
        """One attempt: the status, the headers (lower-case names) and the body; error statuses are answers too."""
        request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        try:
            with self._urlopen(request, timeout=self.timeout) as response:
                return response.status, _lower(response.headers), response.read()
        except urllib.error.HTTPError as answer:
            with answer:
                return answer.code, _lower(answer.headers), answer.read()


def _lower(headers: Any) -> Dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
