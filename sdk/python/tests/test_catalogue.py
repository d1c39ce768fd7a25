"""client.playlists and client.models against the running service (the harness' account is on Pro)."""

from __future__ import annotations

import unittest

from support import BASE_URL, new_key

from tunetrail import ConflictError, NotFoundError, TuneTrail

CATALOGUE_SCOPES = [
    "write:tracks",
    "read:recommendations",
    "read:playlists",
    "write:playlists",
    "delete:playlists",
    "train:models",
]
TRAINING_TIMEOUT_S = 90
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def client() -> TuneTrail:
    return TuneTrail(api_key=new_key(CATALOGUE_SCOPES)["api_key"], base_url=BASE_URL)


def track(c: TuneTrail, title: str, bpm: float) -> str:
    return c.tracks.create(title=title, artist="Nova", duration_ms=200000, bpm=bpm)["id"]


class PlaylistsTest(unittest.TestCase):
    def test_playlists_in_order_with_typed_errors(self) -> None:
        c = client()
        one, two, three = track(c, "One", 90), track(c, "Two", 100), track(c, "Three", 110)
        created = c.playlists.create(name="Morning", track_ids=[one, two])
        self.assertEqual((created["name"], created["description"], created["track_count"]), ("Morning", None, 2))

        inserted = c.playlists.add_tracks(created["id"], [three], position=1)
        self.assertEqual([t["title"] for t in inserted["tracks"]], ["One", "Three", "Two"])
        with self.assertRaises(ConflictError):
            c.playlists.add_tracks(created["id"], [one])
        with self.assertRaises(NotFoundError):
            c.playlists.add_tracks(created["id"], [UNKNOWN_ID])

        removed = c.playlists.remove_track(created["id"], three)
        self.assertEqual([t["id"] for t in removed["tracks"]], [one, two])
        self.assertEqual(c.playlists.update(created["id"], description="Early")["description"], "Early")
        self.assertEqual(c.playlists.get(created["id"])["track_count"], 2)

        c.playlists.create(name="Evening")
        page = c.playlists.list(limit=1)
        self.assertEqual((page.total, page.limit), (2, 1))
        self.assertEqual([p["name"] for p in page], ["Evening", "Morning"])

        c.playlists.delete(created["id"])
        with self.assertRaises(NotFoundError):
            c.playlists.get(created["id"])


class ModelsTest(unittest.TestCase):
    def test_trains_waits_and_recommends_with_the_model(self) -> None:
        c = client()
        a, b, near = track(c, "A", 90), track(c, "B", 150), track(c, "C", 95)
        c.playlists.create(name="Mix 1", track_ids=[a, b])
        c.playlists.create(name="Mix 2", track_ids=[near, b])
        queued = c.models.train(name="First")
        self.assertEqual((queued["name"], queued["status"]), ("First", "queued"))
        with self.assertRaises(ConflictError):
            c.models.train()

        done = c.models.wait_until_finished(queued["id"], interval=0.2, timeout=TRAINING_TIMEOUT_S)
        self.assertEqual((done["status"], done["progress"], done["metrics"]["playlists"]), ("succeeded", 1, 2))
        self.assertIn(queued["id"], [job["id"] for job in c.models.list()])

        ranked = c.recommendations.list(seed_track_id=a, model_id=queued["id"], limit=1)
        self.assertEqual(ranked["data"][0]["id"], b)
        with self.assertRaises(NotFoundError):
            c.models.get(UNKNOWN_ID)


if __name__ == "__main__":
    unittest.main()
