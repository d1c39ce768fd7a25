"""A 429 is waited out (Retry-After) and retried, any method; raised when retries are off or the wait too long."""

from __future__ import annotations

import time
import unittest

from support import BASE_URL, await_room_in_minute, count_requests, new_key, until_left_in_minute

from tunetrail import RateLimitError, TuneTrail

MINUTE_LIMIT = 1
# How much of the minute is left when the retried request starts, so the real wait stays short.
LEFT_IN_MINUTE = 4.0


class RateLimitTest(unittest.TestCase):
    def limited_key(self) -> str:
        return new_key(scopes=["read:tracks", "write:tracks"], rate_limit_requests_per_minute=MINUTE_LIMIT)["api_key"]

    def test_raised_when_retries_are_off_or_the_wait_exceeds_max_retry_wait(self) -> None:
        await_room_in_minute()
        api_key = self.limited_key()
        TuneTrail(api_key=api_key, base_url=BASE_URL).whoami()
        for options in ({"max_retries": 0}, {"max_retries": 2, "max_retry_wait": 0.5}):
            client = TuneTrail(api_key=api_key, base_url=BASE_URL, **options)
            calls = count_requests(client)
            with self.assertRaises(RateLimitError) as caught:
                client.tracks.list()
            error = caught.exception
            self.assertEqual((error.status, error.error, error.window), (429, "Rate limit exceeded", "minute"))
            self.assertGreaterEqual(error.retry_after or 0, 1)
            self.assertLessEqual(error.retry_after or 0, 60)
            assert client.last_rate_limit is not None
            self.assertEqual((client.last_rate_limit.limit, client.last_rate_limit.remaining), (MINUTE_LIMIT, 0))
            self.assertEqual(len(calls), 1)

    def test_a_refused_post_is_retried_after_retry_after_and_succeeds(self) -> None:
        api_key = self.limited_key()
        until_left_in_minute(LEFT_IN_MINUTE)
        client = TuneTrail(api_key=api_key, base_url=BASE_URL)
        calls = count_requests(client)
        client.whoami()
        started = time.monotonic()
        track = client.tracks.create(title="After the window", artist="Patient", duration_ms=1000)
        self.assertEqual(track["title"], "After the window")
        self.assertEqual(len(calls), 3)
        self.assertGreaterEqual(time.monotonic() - started, 1)


if __name__ == "__main__":
    unittest.main()
