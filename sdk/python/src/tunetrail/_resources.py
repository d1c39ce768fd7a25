"""Resources: a group of routes under one path, sharing the client's request core."""

from __future__ import annotations

import time
import urllib.parse
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from ._pagination import Page

if TYPE_CHECKING:
    from ._core import HttpClient

JSON = Dict[str, Any]


def _path(template: str, *ids: str) -> str:
    """``/tracks/{}`` with each id percent-encoded."""
    return template.format(*(urllib.parse.quote(str(i), safe="") for i in ids))


def _params(**params: Any) -> JSON:
    """Keyword arguments as a body or query, leaving out those not given (None)."""
    return {name: value for name, value in params.items() if value is not None}


class Resource:
    def __init__(self, client: "HttpClient") -> None:
        self._client = client


class AudioFeatures(Resource):
    def get(self, track_id: str) -> JSON:
        """``GET /tracks/{id}/audio-features`` (read:audio_features, Starter+)."""
        return self._client.get(_path("/tracks/{}/audio-features", track_id))

    def set(self, track_id: str, **features: Any) -> JSON:
        """``PUT /tracks/{id}/audio-features`` (write:audio_features, Starter+): sets them all by hand."""
        return self._client.put(_path("/tracks/{}/audio-features", track_id), features)

    def analyze(self, track_id: str, audio: bytes, content_type: str = "audio/wav") -> JSON:
        """``POST /tracks/{id}/audio`` (write:audio_features, Starter+): computes the features from a recording."""
        return self._client.request(
            "POST", _path("/tracks/{}/audio", track_id), content=audio, content_type=content_type
        )


class Tracks(Resource):
    def __init__(self, client: "HttpClient") -> None:
        super().__init__(client)
        self.audio_features = AudioFeatures(client)

    def list(self, *, q: Optional[str] = None, limit: Optional[int] = None, offset: Optional[int] = None) -> Page[JSON]:
        """``GET /tracks`` (read:tracks): the first page; iterating it walks every track."""
        return self._client.list("/tracks", _params(q=q, limit=limit, offset=offset))

    def get(self, track_id: str) -> JSON:
        """``GET /tracks/{id}`` (read:tracks)."""
        return self._client.get(_path("/tracks/{}", track_id))

    def create(self, **track: Any) -> JSON:
        """``POST /tracks`` (write:tracks): ``title``, ``artist``, ``duration_ms``, and optionally ``album``, ``genre``, features."""
        return self._client.post("/tracks", track)

    def update(self, track_id: str, **changes: Any) -> JSON:
        """``PATCH /tracks/{id}`` (write:tracks)."""
        return self._client.patch(_path("/tracks/{}", track_id), changes)

    def delete(self, track_id: str) -> None:
        """``DELETE /tracks/{id}`` (delete:tracks)."""
        self._client.delete(_path("/tracks/{}", track_id))


class Recommendations(Resource):
    def list(self, *, seed_track_id: str, limit: Optional[int] = None, **params: Any) -> JSON:
        """``GET /recommendations`` (read:recommendations): your tracks most like the seed, seed excluded."""
        return self._client.get("/recommendations", _params(seed_track_id=seed_track_id, limit=limit, **params))


class Playlists(Resource):
    def list(self, *, limit: Optional[int] = None, offset: Optional[int] = None) -> Page[JSON]:
        """``GET /playlists`` (read:playlists): the first page, newest first, without tracks; iterating it walks them all."""
        return self._client.list("/playlists", _params(limit=limit, offset=offset))

    def get(self, playlist_id: str) -> JSON:
        """``GET /playlists/{id}`` (read:playlists): with its tracks in playlist order."""
        return self._client.get(_path("/playlists/{}", playlist_id))

    def create(self, *, name: str, description: Optional[str] = None, track_ids: Optional[List[str]] = None) -> JSON:
        """``POST /playlists`` (write:playlists)."""
        return self._client.post("/playlists", _params(name=name, description=description, track_ids=track_ids))

    def update(self, playlist_id: str, **changes: Any) -> JSON:
        """``PATCH /playlists/{id}`` (write:playlists): ``name`` and/or ``description`` (None clears it)."""
        return self._client.patch(_path("/playlists/{}", playlist_id), changes)

    def add_tracks(self, playlist_id: str, track_ids: List[str], *, position: Optional[int] = None) -> JSON:
        """``POST /playlists/{id}/tracks`` (write:playlists): inserts in order at ``position`` (0-based, default the end).

        All or nothing: a track already there raises ConflictError, an unknown or foreign one NotFoundError.
        """
        return self._client.post(
            _path("/playlists/{}/tracks", playlist_id), _params(track_ids=track_ids, position=position)
        )

    def remove_track(self, playlist_id: str, track_id: str) -> JSON:
        """``DELETE /playlists/{id}/tracks/{track_id}`` (write:playlists): the playlist without it."""
        return self._client.delete(_path("/playlists/{}/tracks/{}", playlist_id, track_id))

    def delete(self, playlist_id: str) -> None:
        """``DELETE /playlists/{id}`` (delete:playlists); its tracks stay in the catalogue."""
        self._client.delete(_path("/playlists/{}", playlist_id))


class Models(Resource):
    def train(self, *, name: Optional[str] = None) -> JSON:
        """``POST /models/train`` (train:models, Pro+): queues a job (ConflictError while one is queued or running)."""
        return self._client.post("/models/train", _params(name=name))

    def list(self, *, limit: Optional[int] = None, offset: Optional[int] = None) -> Page[JSON]:
        """``GET /models`` (train:models): the first page of jobs, newest first."""
        return self._client.list("/models", _params(limit=limit, offset=offset))

    def get(self, model_id: str) -> JSON:
        """``GET /models/{id}`` (train:models): status, progress, metrics."""
        return self._client.get(_path("/models/{}", model_id))

    def wait_until_finished(self, model_id: str, *, interval: float = 1.0, timeout: float = 600.0) -> JSON:
        """Polls ``GET /models/{id}`` until the job has ``succeeded`` or ``failed``, and returns it.

        Raises TimeoutError after ``timeout`` seconds (the job goes on).
        """
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(model_id)
            if job["status"] in ("succeeded", "failed"):
                return job
            if time.monotonic() + interval > deadline:
                raise TimeoutError(f"Training job {model_id} still {job['status']} after {timeout} s")
            time.sleep(interval)


class Analytics(Resource):
    def usage(self, *, days: Optional[int] = None) -> JSON:
        """``GET /analytics/usage`` (read:analytics, Pro+): the account's usage across all its keys."""
        return self._client.get("/analytics/usage", _params(days=days))


class Webhooks(Resource):
    def create(self, *, url: str, events: List[str], description: Optional[str] = None) -> JSON:
        """``POST /webhooks`` (admin:webhooks, Pro+): the answer's ``secret`` is shown this once."""
        return self._client.post("/webhooks", _params(url=url, events=events, description=description))

    def list(self, *, limit: Optional[int] = None, offset: Optional[int] = None) -> Page[JSON]:
        """``GET /webhooks``: the first page; iterating it walks every endpoint."""
        return self._client.list("/webhooks", _params(limit=limit, offset=offset))

    def get(self, webhook_id: str) -> JSON:
        """``GET /webhooks/{id}``."""
        return self._client.get(_path("/webhooks/{}", webhook_id))

    def update(self, webhook_id: str, **changes: Any) -> JSON:
        """``PATCH /webhooks/{id}``: ``url``, ``events``, ``description``, ``is_active``."""
        return self._client.patch(_path("/webhooks/{}", webhook_id), changes)

    def delete(self, webhook_id: str) -> None:
        """``DELETE /webhooks/{id}``."""
        self._client.delete(_path("/webhooks/{}", webhook_id))

    def test(self, webhook_id: str) -> JSON:
        """``POST /webhooks/{id}/test``: queues a ``webhook.test`` event for this endpoint only."""
        return self._client.post(_path("/webhooks/{}/test", webhook_id))

    def deliveries(self, webhook_id: str, *, limit: Optional[int] = None, offset: Optional[int] = None) -> Page[JSON]:
        """``GET /webhooks/{id}/deliveries``: the first page, newest first; iterating it walks them all."""
        return self._client.list(_path("/webhooks/{}/deliveries", webhook_id), _params(limit=limit, offset=offset))


class Billing(Resource):
    def get(self, *, period: Optional[str] = None) -> JSON:
        """``GET /billing`` (admin:billing, Pro+): the plan and a month's usage (``period`` ``YYYY-MM``, default this month)."""
        return self._client.get("/billing", _params(period=period))

    def usage_csv(self, *, period: Optional[str] = None) -> str:
        """``GET /billing/usage.csv``: the same month as CSV text, one line a day."""
        return self._client.get("/billing/usage.csv", _params(period=period))


class Auth(Resource):
    def register(self, *, email: str, password: str, name: Optional[str] = None) -> JSON:
        """``POST /auth/register``: creates the account (free plan) and keeps its access token on the client."""
        result = self._client.post("/auth/register", _params(email=email, password=password, name=name))
        self._client.set_access_token(result["access_token"])  # type: ignore[attr-defined]
        return result

    def login(self, *, email: str, password: str) -> JSON:
        """``POST /auth/login``: keeps the access token on the client."""
        result = self._client.post("/auth/login", {"email": email, "password": password})
        self._client.set_access_token(result["access_token"])  # type: ignore[attr-defined]
        return result

    def me(self) -> JSON:
        """``GET /auth/me``: the logged-in account."""
        return self._client.get("/auth/me")


class Plans(Resource):
    def list(self) -> List[JSON]:
        """``GET /plans`` (public): every plan with its limits and scopes."""
        return self._client.get("/plans")


class ApiKeys(Resource):
    def create(self, **params: Any) -> JSON:
        """``POST /api-keys``: ``name``, ``scopes``, ... The answer's ``api_key`` is the only time the full key is shown."""
        return self._client.post("/api-keys", params)

    def list(
        self,
        *,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        environment: Optional[str] = None,
        is_active: Optional[bool] = None,
    ) -> Page[JSON]:
        """``GET /api-keys``: the first page, newest first; iterating it walks every key."""
        return self._client.list(
            "/api-keys", _params(limit=limit, offset=offset, environment=environment, is_active=is_active)
        )

    def get(self, key_id: str) -> JSON:
        """``GET /api-keys/{id}``."""
        return self._client.get(_path("/api-keys/{}", key_id))

    def update(self, key_id: str, **changes: Any) -> JSON:
        """``PATCH /api-keys/{id}``: ``name``, ``is_active`` (suspend/resume), ``scopes``, limits, ``allowed_ips``, ``expires_at``."""
        return self._client.patch(_path("/api-keys/{}", key_id), changes)

    def rotate(self, key_id: str, *, grace_period_hours: Optional[int] = None) -> JSON:
        """``POST /api-keys/{id}/rotate``: a new key with the same settings; the old one is revoked now or after the grace period."""
        return self._client.post(_path("/api-keys/{}/rotate", key_id), _params(grace_period_hours=grace_period_hours))

    def revoke(self, key_id: str) -> JSON:
        """``POST /api-keys/{id}/revoke``."""
        return self._client.post(_path("/api-keys/{}/revoke", key_id))

    def delete(self, key_id: str) -> None:
        """``DELETE /api-keys/{id}``."""
        self._client.delete(_path("/api-keys/{}", key_id))

    def usage(self, key_id: str, *, days: Optional[int] = None) -> JSON:
        """``GET /api-keys/{id}/usage`` (``days`` 1-90, default 7)."""
        return self._client.get(_path("/api-keys/{}/usage", key_id), _params(days=days))
