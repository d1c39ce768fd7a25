"""The two clients: ``TuneTrail`` (API-key routes) and ``TuneTrailManagement`` (JWT routes)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ._core import DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_WAIT, DEFAULT_TIMEOUT, HttpClient, env_var
from ._errors import AuthenticationError
from ._key_format import is_well_formed_api_key
from ._resources import Analytics, ApiKeys, Auth, Billing, Models, Plans, Playlists, Recommendations, Tracks, Webhooks


class TuneTrail(HttpClient):
    """Client of the API-key routes: ``TuneTrail(api_key=...)``, then ``client.tracks.list()``.

    ``api_key`` defaults to ``TUNETRAIL_API_KEY``, ``base_url`` to ``TUNETRAIL_API_URL``, then
    https://api.tunetrail.dev. ``timeout`` is in seconds, for each attempt.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
    ) -> None:
        super().__init__(base_url=base_url, max_retries=max_retries, timeout=timeout, max_retry_wait=max_retry_wait)
        self.__api_key = api_key or env_var("TUNETRAIL_API_KEY")
        self.tracks = Tracks(self)
        self.recommendations = Recommendations(self)
        self.analytics = Analytics(self)
        self.webhooks = Webhooks(self)
        self.billing = Billing(self)
        self.playlists = Playlists(self)
        self.models = Models(self)

    def whoami(self) -> Dict[str, Any]:
        """``GET /whoami``: the key this client presents, its scopes, plan and limits."""
        return self.get("/whoami")

    def _authorization(self) -> str:
        if not self.__api_key:
            raise AuthenticationError(
                "No API key: pass api_key= or set TUNETRAIL_API_KEY",
                body={"error": "Invalid API key", "reason": "missing"},
            )
        if not is_well_formed_api_key(self.__api_key):
            raise AuthenticationError(
                "Invalid API key (malformed): not a tt_ key, or its checksum is wrong (mistyped?)",
                body={"error": "Invalid API key", "reason": "malformed"},
            )
        return f"Bearer {self.__api_key}"

    def __repr__(self) -> str:
        return f"TuneTrail(base_url={self.base_url!r})"


class TuneTrailManagement(HttpClient):
    """Client of the management (JWT) routes: ``auth``, ``plans``, ``api_keys``."""

    def __init__(
        self,
        base_url: Optional[str] = None,
        access_token: Optional[str] = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
    ) -> None:
        super().__init__(base_url=base_url, max_retries=max_retries, timeout=timeout, max_retry_wait=max_retry_wait)
        self.__access_token = access_token
        self.auth = Auth(self)
        self.plans = Plans(self)
        self.api_keys = ApiKeys(self)

    def set_access_token(self, token: Optional[str]) -> None:
        """Uses ``token`` from now on (None: send none)."""
        self.__access_token = token

    def _authorization(self) -> Optional[str]:
        return f"Bearer {self.__access_token}" if self.__access_token else None

    def __repr__(self) -> str:
        return f"TuneTrailManagement(base_url={self.base_url!r})"
