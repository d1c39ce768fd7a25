"""TuneTrail API client: ``from tunetrail import TuneTrail, TuneTrailManagement``."""

from ._client import TuneTrail, TuneTrailManagement
from ._core import DEFAULT_BASE_URL, HttpClient, RateLimitState
from ._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TuneTrailError,
    ValidationError,
)
from ._key_format import is_well_formed_api_key
from ._pagination import Page

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "ConflictError",
    "DEFAULT_BASE_URL",
    "HttpClient",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitState",
    "TuneTrail",
    "TuneTrailError",
    "TuneTrailManagement",
    "ValidationError",
    "is_well_formed_api_key",
]
