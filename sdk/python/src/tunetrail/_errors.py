"""The typed errors of the SDK, one per status the API contract lists."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


class TuneTrailError(Exception):
    """Base of every error the SDK raises.

    ``status`` is the HTTP status (``None`` without an answer), ``error`` and ``reason`` come from the
    API's body, ``request_id`` from the ``x-request-id`` header (or the id this client sent).
    """

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        status: Optional[int] = None,
        body: Optional[Mapping[str, Any]] = None,
        reason: Optional[str] = None,
        request_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.status = status
        self.body: Dict[str, Any] = dict(body or {})
        body_error = self.body.get("error")
        self.error: str = body_error if isinstance(body_error, str) else (message or f"HTTP {status}")
        body_reason = self.body.get("reason")
        self.reason: Optional[str] = reason or (body_reason if isinstance(body_reason, str) else None)
        self.request_id = request_id
        self.headers: Dict[str, str] = dict(headers or {})
        super().__init__(message or (f"{self.error} ({self.reason})" if self.reason else self.error))


class APIError(TuneTrailError):
    """An answer the API refused that has no more specific class (415, 422, 5xx...)."""


class ValidationError(APIError):
    """400: validation failed; ``details`` lists each field and what is wrong with it."""

    @property
    def details(self) -> List[Dict[str, str]]:
        return list(self.body.get("details") or [])


class AuthenticationError(APIError):
    """401: missing, malformed, unknown, expired, revoked or inactive key (``reason``), or a bad JWT."""


class PermissionDeniedError(APIError):
    """403: the key lacks a scope (``reason == "missing_scope"``), the plan lacks it (``"plan"``), or the IP is not allowed."""

    @property
    def required_scopes(self) -> List[str]:
        return list(self.body.get("required_scopes") or [])


class NotFoundError(APIError):
    """404: not found, or owned by another account."""


class ConflictError(APIError):
    """409: e.g. email taken, reactivating a revoked key."""


class RateLimitError(APIError):
    """429: a rate-limit window is full; ``retry_after`` seconds until it resets. Raised once retries are used up."""

    def __init__(self, message: Optional[str] = None, *, retry_after: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after

    @property
    def window(self) -> Optional[str]:
        return self.body.get("window")

    @property
    def reset_at(self) -> Optional[str]:
        return self.body.get("reset_at")


class APIConnectionError(TuneTrailError):
    """No answer: connection refused or reset, DNS failure, or the timeout passed (``timed_out``)."""

    def __init__(self, message: Optional[str] = None, *, timed_out: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.timed_out = timed_out


_BY_STATUS = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def error_for(
    status: int,
    body: Optional[Mapping[str, Any]],
    request_id: Optional[str],
    headers: Mapping[str, str],
    retry_after: Optional[int],
) -> APIError:
    """The typed error for an error answer."""
    if status == 429:
        return RateLimitError(
            status=status, body=body, request_id=request_id, headers=headers, retry_after=retry_after
        )
    error_class = _BY_STATUS.get(status, APIError)
    return error_class(status=status, body=body, request_id=request_id, headers=headers)
