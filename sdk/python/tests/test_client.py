"""The Python SDK against the running service: every resource, each typed error, pagination, retries."""

from __future__ import annotations

import os
import re
import unittest
import uuid
from unittest import mock

from support import (
    BASE_URL,
    EMAIL,
    PASSWORD,
    TRACK_SCOPES,
    HungServer,
    closed_port_url,
    count_requests,
    management,
    new_key,
)

import tunetrail
from tunetrail import (
    APIConnectionError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TuneTrail,
    TuneTrailManagement,
    ValidationError,
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
KEY_MINUTE_LIMIT = 100
TRACK_COUNT = 5
PAGE_SIZE = 2


def mistyped(key: str) -> str:
    """The key with its last character changed, which breaks its checksum."""
    return key[:-1] + ("B" if key.endswith("A") else "A")


class ManagementClientTest(unittest.TestCase):
    def test_login_keeps_the_token_and_me_reads_the_account(self) -> None:
        client = TuneTrailManagement(base_url=BASE_URL)
        login = client.auth.login(email=EMAIL, password=PASSWORD)
        self.assertEqual(login["token_type"], "Bearer")
        me = client.auth.me()
        self.assertEqual((me["email"], me["plan"]), (EMAIL, "pro"))

        other = TuneTrailManagement(base_url=BASE_URL, access_token=login["access_token"])
        self.assertEqual(other.auth.me()["id"], me["id"])
        other.set_access_token(None)
        with self.assertRaises(AuthenticationError) as caught:
            other.auth.me()
        self.assertEqual((caught.exception.status, caught.exception.error), (401, "Invalid or missing token"))

    def test_register_keeps_the_token_and_a_taken_email_is_a_conflict(self) -> None:
        client = TuneTrailManagement(base_url=BASE_URL)
        email = f"py-{uuid.uuid4().hex}@example.com"
        registered = client.auth.register(email=email, password=PASSWORD, name="Py")
        self.assertEqual(registered["user"]["email"], email)
        self.assertEqual(client.auth.me()["plan"], "free")
        with self.assertRaises(ConflictError) as caught:
            TuneTrailManagement(base_url=BASE_URL).auth.register(email=email, password=PASSWORD)
        self.assertEqual(caught.exception.status, 409)

    def test_plans(self) -> None:
        plans = TuneTrailManagement(base_url=BASE_URL).plans.list()
        self.assertEqual([plan["id"] for plan in plans], ["free", "starter", "pro", "enterprise"])

    def test_every_api_key_route(self) -> None:
        client = management()
        created = client.api_keys.create(name="to manage", scopes=["read:tracks"])
        self.assertTrue(tunetrail.is_well_formed_api_key(created["api_key"]))

        first = client.api_keys.list(limit=1)
        self.assertEqual((first.limit, first.offset, len(first.data)), (1, 0, 1))
        self.assertEqual(first.data[0]["id"], created["id"])
        every = [key["id"] for key in first]
        self.assertEqual(len(every), first.total)
        self.assertEqual(every[0], created["id"])

        self.assertEqual(client.api_keys.get(created["id"])["name"], "to manage")
        updated = client.api_keys.update(created["id"], name="renamed", is_active=False)
        self.assertEqual((updated["name"], updated["is_active"]), ("renamed", False))

        rotated = client.api_keys.rotate(created["id"], grace_period_hours=1)
        self.assertEqual((rotated["name"], rotated["rotated_from"]), ("renamed", created["id"]))
        self.assertNotEqual(rotated["api_key"], created["api_key"])

        revoked = client.api_keys.revoke(rotated["id"])
        self.assertFalse(revoked["is_active"])
        self.assertIsNotNone(revoked["revoked_at"])

        usage = client.api_keys.usage(created["id"], days=7)
        self.assertEqual(usage["api_key_id"], created["id"])
        self.assertIsInstance(usage["total_requests"], int)

        self.assertIsNone(client.api_keys.delete(rotated["id"]))
        with self.assertRaises(NotFoundError):
            client.api_keys.get(rotated["id"])


class ApiKeyClientTest(unittest.TestCase):
    key: dict
    client: TuneTrail

    @classmethod
    def setUpClass(cls) -> None:
        cls.key = new_key(rate_limit_requests_per_minute=KEY_MINUTE_LIMIT)
        cls.client = TuneTrail(api_key=cls.key["api_key"], base_url=BASE_URL)

    def test_track_create_get_update_delete_with_the_api_field_names(self) -> None:
        track = self.client.tracks.create(title="Blue", artist="Nova", duration_ms=215_000, bpm=124)
        self.assertEqual((track["title"], track["duration_ms"], track["bpm"]), ("Blue", 215_000, 124))
        self.assertEqual(self.client.tracks.get(track["id"]), track)
        self.assertEqual(self.client.tracks.update(track["id"], title="Bluer")["title"], "Bluer")
        self.assertIsNone(self.client.tracks.delete(track["id"]))
        with self.assertRaises(NotFoundError):
            self.client.tracks.get(track["id"])

    def test_list_is_the_first_page_and_iterating_walks_every_page(self) -> None:
        artist = f"Pager {uuid.uuid4().hex[:6]}"
        created = [
            self.client.tracks.create(title=f"Paged {i}", artist=artist, duration_ms=1000) for i in range(TRACK_COUNT)
        ]
        first = self.client.tracks.list(q=artist, limit=PAGE_SIZE)
        self.assertEqual((first.total, first.limit, first.offset), (TRACK_COUNT, PAGE_SIZE, 0))
        self.assertEqual(first["total"], TRACK_COUNT)
        self.assertEqual(len(first.data), PAGE_SIZE)
        self.assertEqual([track["id"] for track in first], [track["id"] for track in reversed(created)])
        self.assertEqual(first.get_next_page().offset, PAGE_SIZE)

    def test_audio_features_and_recommendations(self) -> None:
        seed = self.client.tracks.create(title="Seed", artist="Rec", duration_ms=1000, bpm=120)
        near = self.client.tracks.create(title="Near", artist="Rec", duration_ms=1000, bpm=121)
        features = self.client.tracks.audio_features.set(seed["id"], bpm=120, energy=0.8, danceability=0.7)
        self.assertEqual(
            (features["track_id"], features["bpm"], features["energy"], features["valence"]),
            (seed["id"], 120, 0.8, None),
        )
        self.assertEqual(self.client.tracks.audio_features.get(seed["id"]), features)
        recommended = self.client.recommendations.list(seed_track_id=seed["id"], limit=50)
        ids = [track["id"] for track in recommended["data"]]
        self.assertIn(near["id"], ids)
        self.assertNotIn(seed["id"], ids)

    def test_whoami_and_analytics(self) -> None:
        me = self.client.whoami()
        self.assertEqual((me["api_key_id"], me["plan"]), (self.key["id"], "pro"))
        self.assertEqual(me["rate_limits"]["minute"], KEY_MINUTE_LIMIT)
        usage = self.client.analytics.usage(days=1)
        self.assertIn(self.key["id"], [key["api_key_id"] for key in usage["by_key"]])

    def test_rate_limit_headers_and_request_id_of_the_last_answer(self) -> None:
        self.client.whoami()
        before = self.client.last_rate_limit
        assert before is not None
        self.client.whoami()
        after = self.client.last_rate_limit
        assert after is not None
        self.assertEqual((after.limit, after.remaining), (KEY_MINUTE_LIMIT, before.remaining - 1))
        self.assertRegex(after.reset, ISO_SECOND)
        self.assertIn('"minute";q=100;w=60', after.policy or "")
        self.assertRegex(self.client.last_request_id or "", UUID)

    def test_api_key_and_base_url_default_to_the_environment(self) -> None:
        key = new_key(scopes=["read:tracks"])
        with mock.patch.dict(os.environ, {"TUNETRAIL_API_KEY": key["api_key"], "TUNETRAIL_API_URL": BASE_URL}):
            from_env = TuneTrail()
            self.assertEqual(from_env.base_url, BASE_URL)
            self.assertEqual(from_env.whoami()["api_key_id"], key["id"])
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(TuneTrail(api_key=key["api_key"]).base_url, "https://api.tunetrail.dev")
        self.assertNotIn(key["api_key"], repr(from_env))


class TypedErrorsTest(unittest.TestCase):
    def test_validation_error_400_with_field_details(self) -> None:
        client = TuneTrail(api_key=new_key()["api_key"], base_url=BASE_URL)
        with self.assertRaises(ValidationError) as caught:
            client.tracks.create(title="", artist="A", duration_ms=1)
        error = caught.exception
        self.assertEqual((error.status, error.error), (400, "Validation failed"))
        self.assertIn("title", [detail["field"] for detail in error.details])
        self.assertRegex(error.request_id or "", UUID)

    def test_authentication_error_401_for_a_revoked_key(self) -> None:
        key = new_key(scopes=["read:tracks"])
        management().api_keys.revoke(key["id"])
        client = TuneTrail(api_key=key["api_key"], base_url=BASE_URL)
        with self.assertRaises(AuthenticationError) as caught:
            client.tracks.list()
        error = caught.exception
        self.assertEqual((error.status, error.error, error.reason), (401, "Invalid API key", "revoked"))
        self.assertEqual(error.request_id, client.last_request_id)

    def test_permission_denied_error_403_for_a_missing_scope(self) -> None:
        client = TuneTrail(api_key=new_key(scopes=["read:tracks"])["api_key"], base_url=BASE_URL)
        with self.assertRaises(PermissionDeniedError) as caught:
            client.tracks.create(title="x", artist="y", duration_ms=1)
        error = caught.exception
        self.assertEqual((error.status, error.error, error.reason), (403, "Insufficient permissions", "missing_scope"))
        self.assertEqual(error.required_scopes, ["write:tracks"])

    def test_not_found_error_404(self) -> None:
        client = TuneTrail(api_key=new_key()["api_key"], base_url=BASE_URL)
        with self.assertRaises(NotFoundError) as caught:
            client.tracks.get(str(uuid.uuid4()))
        self.assertEqual((caught.exception.status, caught.exception.error), (404, "Not found"))

    def test_conflict_error_409_reactivating_a_revoked_key(self) -> None:
        client = management()
        key = new_key(scopes=["read:tracks"])
        client.api_keys.revoke(key["id"])
        with self.assertRaises(ConflictError) as caught:
            client.api_keys.update(key["id"], is_active=True)
        self.assertEqual(caught.exception.status, 409)

    def test_a_malformed_or_missing_key_fails_locally_without_a_request(self) -> None:
        key = new_key(scopes=["read:tracks"])["api_key"]
        for api_key, reason in [(mistyped(key), "malformed"), ("tt_short", "malformed"), ("sk_live_1", "malformed")]:
            client = TuneTrail(api_key=api_key, base_url=BASE_URL)
            calls = count_requests(client)
            with self.assertRaises(AuthenticationError) as caught:
                client.tracks.list()
            error = caught.exception
            self.assertEqual((error.status, error.error, error.reason), (None, "Invalid API key", reason))
            self.assertEqual(calls, [])
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaises(AuthenticationError) as caught:
                TuneTrail(base_url=BASE_URL).whoami()
            self.assertEqual(caught.exception.reason, "missing")

    def test_connection_error_get_retried_post_sent_once(self) -> None:
        key = new_key(scopes=TRACK_SCOPES)["api_key"]
        client = TuneTrail(api_key=key, base_url=closed_port_url(), max_retries=2)
        calls = count_requests(client)
        with self.assertRaises(APIConnectionError) as caught:
            client.tracks.list()
        self.assertEqual((caught.exception.status, caught.exception.timed_out), (None, False))
        self.assertRegex(caught.exception.request_id or "", UUID)
        self.assertEqual(len(calls), 3)

        calls.clear()
        with self.assertRaises(APIConnectionError):
            client.tracks.create(title="x", artist="y", duration_ms=1)
        self.assertEqual(len(calls), 1)

    def test_a_stalled_server_times_out(self) -> None:
        key = new_key(scopes=TRACK_SCOPES)["api_key"]
        server = HungServer()
        try:
            client = TuneTrail(api_key=key, base_url=server.url, timeout=0.3, max_retries=1)
            calls = count_requests(client)
            with self.assertRaises(APIConnectionError) as caught:
                client.tracks.list()
            self.assertTrue(caught.exception.timed_out)
            self.assertEqual(len(calls), 2)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
