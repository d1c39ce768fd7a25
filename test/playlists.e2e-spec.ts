import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import type { PlaylistListResponseDto, PlaylistResponseDto } from '../src/playlists/dto/playlist-response.dto';
import { PLAYLIST_MAX_TRACKS } from '../src/playlists/dto/create-playlist.dto';
import type { Scope } from '../src/plans/scopes';
import { addTracks, keyedAccount, KeyedClient } from './support/catalogue';
import { bodyOf, errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const PLAYLIST_SCOPES: Scope[] = [
  'read:playlists',
  'write:playlists',
  'delete:playlists',
  'read:tracks',
  'write:tracks',
  'delete:tracks',
];
const PLAYLIST_FIELDS = ['created_at', 'description', 'id', 'name', 'track_count', 'tracks', 'updated_at'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const CONCURRENT_INSERTS = 12;

const playlistOf = (res: Response) => bodyOf<PlaylistResponseDto>(res);
const pageOf = (res: Response) => bodyOf<PlaylistListResponseDto>(res);

describe('Playlists', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const account = () => keyedAccount(t, PLAYLIST_SCOPES);
  const tracksOf = async (a: KeyedClient, playlistId: string): Promise<string[]> =>
    (playlistOf(await a.get(`/playlists/${playlistId}`).expect(200)).tracks as { id: string }[]).map(
      (track) => track.id,
    );
  /** Positions as stored: dense 0..n-1 whatever removed entries. */
  const storedPositions = async (playlistId: string): Promise<number[]> =>
    (
      await t.app
        .get(DataSource)
        .query<{ position: number }[]>(
          'SELECT position FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position',
          [playlistId],
        )
    ).map((row) => row.position);

  describe('happy paths', () => {
    it('creates, reads, lists, renames and deletes a playlist', async () => {
      const a = await account();
      const [one, two] = await addTracks(a, [{ title: 'One' }, { title: 'Two' }]);
      const created = playlistOf(await a.post('/playlists', { name: 'Morning', track_ids: [two, one] }).expect(201));
      expect(Object.keys(created).sort()).toEqual(PLAYLIST_FIELDS);
      expect(created).toMatchObject({ name: 'Morning', description: null, track_count: 2 });
      expect(created.tracks.map((track) => track.title)).toEqual(['Two', 'One']);
      const id = created.id;

      expect(playlistOf(await a.get(`/playlists/${id}`).expect(200))).toEqual(created);
      const empty = playlistOf(await a.post('/playlists', { name: 'Evening', description: 'Calm' }).expect(201));
      expect(empty).toMatchObject({ name: 'Evening', description: 'Calm', track_count: 0, tracks: [] });

      const list = pageOf(await a.get('/playlists').expect(200));
      expect(list).toMatchObject({ total: 2, limit: 50, offset: 0 });
      expect(list.data.map((p) => p.name)).toEqual(['Evening', 'Morning']);
      expect(list.data[1]).toEqual(Object.fromEntries(Object.entries(created).filter(([k]) => k !== 'tracks')));
      const page = pageOf(await a.get('/playlists?limit=1&offset=1').expect(200));
      expect(page).toMatchObject({ total: 2, limit: 1, offset: 1, data: [{ id }] });

      const renamed = playlistOf(await a.patch(`/playlists/${id}`, { name: 'Dawn', description: 'Early' }).expect(200));
      expect(renamed).toMatchObject({ id, name: 'Dawn', description: 'Early', track_count: 2 });
      expect(playlistOf(await a.patch(`/playlists/${id}`, { description: null }).expect(200)).description).toBeNull();

      await a.delete(`/playlists/${id}`).expect(204);
      await a.get(`/playlists/${id}`).expect(404);
      await a.delete(`/playlists/${id}`).expect(404);
      await a.get(`/tracks/${one}`).expect(200);
    });

    it('validates names, descriptions, ids and fields (400)', async () => {
      const a = await account();
      await a.post('/playlists', { name: '' }).expect(400);
      await a.post('/playlists', { name: 'x'.repeat(101) }).expect(400);
      await a.post('/playlists', { name: 'ok', description: 'x'.repeat(1001) }).expect(400);
      await a.post('/playlists', { name: 'ok', colour: 'red' }).expect(400);
      await a.post('/playlists', { name: 'ok', track_ids: ['not-a-uuid'] }).expect(400);
      const body = playlistOf(await a.post('/playlists', { name: 'ok' }).expect(201));
      await a.patch(`/playlists/${body.id}`, { name: null }).expect(400);
      await a.post(`/playlists/${body.id}/tracks`, { track_ids: [] }).expect(400);
      await a.post(`/playlists/${body.id}/tracks`, { track_ids: [UNKNOWN_ID], position: -1 }).expect(400);
      const malformed = errorOf(await a.get('/playlists/nope').expect(400));
      expect(malformed).toMatchObject({ error: 'Validation failed', details: [{ field: 'id' }] });
    });
  });

  describe('order and positions', () => {
    it('inserts in the given order at a 0-based position, default and beyond the end appending', async () => {
      const a = await account();
      const [t0, t1, t2, t3, t4, t5, t6] = await addTracks(
        a,
        Array.from({ length: 7 }, (_, i) => ({ title: `${i}` })),
      );
      const body = playlistOf(await a.post('/playlists', { name: 'Order', track_ids: [t0, t1] }).expect(201));
      const id = body.id;

      const inserted = playlistOf(
        await a.post(`/playlists/${id}/tracks`, { track_ids: [t2, t3], position: 1 }).expect(200),
      );
      expect(inserted.tracks.map((track) => track.id)).toEqual([t0, t2, t3, t1]);
      expect(inserted.track_count).toBe(4);
      await a.post(`/playlists/${id}/tracks`, { track_ids: [t4], position: 0 }).expect(200);
      await a.post(`/playlists/${id}/tracks`, { track_ids: [t5] }).expect(200);
      await a.post(`/playlists/${id}/tracks`, { track_ids: [t6], position: 99 }).expect(200);
      expect(await tracksOf(a, id)).toEqual([t4, t0, t2, t3, t1, t5, t6]);

      // Reordering is removing and inserting again.
      const removed = playlistOf(await a.delete(`/playlists/${id}/tracks/${t3}`).expect(200));
      expect(removed.tracks.map((track) => track.id)).toEqual([t4, t0, t2, t1, t5, t6]);
      await a.post(`/playlists/${id}/tracks`, { track_ids: [t3], position: 0 }).expect(200);
      expect(await tracksOf(a, id)).toEqual([t3, t4, t0, t2, t1, t5, t6]);
      expect(await storedPositions(id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await a.delete(`/playlists/${id}/tracks/${t3}`).expect(200);
      await a.delete(`/playlists/${id}/tracks/${t3}`).expect(404);
    });

    it('removes a deleted track from every playlist and keeps the others in order', async () => {
      const a = await account();
      const [x, y, z] = await addTracks(a, [{}, {}, {}]);
      const first = playlistOf(await a.post('/playlists', { name: 'A', track_ids: [x, y, z] }).expect(201)).id;
      const second = playlistOf(await a.post('/playlists', { name: 'B', track_ids: [y, x] }).expect(201)).id;
      await a.delete(`/tracks/${y}`).expect(204);
      expect(await tracksOf(a, first)).toEqual([x, z]);
      expect(await tracksOf(a, second)).toEqual([x]);
      expect(await storedPositions(first)).toEqual([0, 1]);
      expect(playlistOf(await a.get(`/playlists/${second}`).expect(200)).track_count).toBe(1);
      const [w] = await addTracks(a, [{}]);
      await a.post(`/playlists/${first}/tracks`, { track_ids: [w], position: 1 }).expect(200);
      expect(await tracksOf(a, first)).toEqual([x, w, z]);
    });

    it('keeps positions consistent under concurrent inserts into one playlist', async () => {
      const a = await account();
      const ids = await addTracks(
        a,
        Array.from({ length: CONCURRENT_INSERTS }, () => ({})),
      );
      const id = playlistOf(await a.post('/playlists', { name: 'Busy' }).expect(201)).id;
      const results = await Promise.all(
        ids.map((trackId) => a.post(`/playlists/${id}/tracks`, { track_ids: [trackId], position: 0 })),
      );
      expect(results.map((res) => res.status)).toEqual(ids.map(() => 200));
      expect((await tracksOf(a, id)).sort()).toEqual([...ids].sort());
      expect(await storedPositions(id)).toEqual(ids.map((_, i) => i));
      // The same track raced twice: exactly one insert wins.
      const [again] = await addTracks(a, [{}]);
      const raced = await Promise.all([0, 1].map(() => a.post(`/playlists/${id}/tracks`, { track_ids: [again] })));
      expect(raced.map((res) => res.status).sort()).toEqual([200, 409]);
    });
  });

  describe('at most once, own tracks only', () => {
    it('answers 409 for a track already there or given twice, adding nothing', async () => {
      const a = await account();
      const [one, two, three] = await addTracks(a, [{}, {}, {}]);
      const id = playlistOf(await a.post('/playlists', { name: 'Once', track_ids: [one] }).expect(201)).id;
      const res = await a.post(`/playlists/${id}/tracks`, { track_ids: [two, one] }).expect(409);
      expect(errorOf(res)).toEqual({ error: 'Track already in playlist' });
      await a.post(`/playlists/${id}/tracks`, { track_ids: [three, three] }).expect(409);
      expect(await tracksOf(a, id)).toEqual([one]);
      await a.post('/playlists', { name: 'Twice', track_ids: [two, two] }).expect(409);
      expect(pageOf(await a.get('/playlists').expect(200)).total).toBe(1);
    });

    it("answers 404 for an unknown or another account's track, adding nothing", async () => {
      const a = await account();
      const b = await account();
      const [mine] = await addTracks(a, [{}]);
      const [theirs] = await addTracks(b, [{}]);
      const id = playlistOf(await a.post('/playlists', { name: 'Mine' }).expect(201)).id;
      expect(errorOf(await a.post(`/playlists/${id}/tracks`, { track_ids: [mine, theirs] }).expect(404))).toEqual({
        error: 'Not found',
      });
      await a.post(`/playlists/${id}/tracks`, { track_ids: [mine, UNKNOWN_ID] }).expect(404);
      expect(await tracksOf(a, id)).toEqual([]);
      await a.post('/playlists', { name: 'Stolen', track_ids: [theirs] }).expect(404);
      expect(pageOf(await a.get('/playlists').expect(200)).total).toBe(1);
    });
  });

  it(`holds at most ${PLAYLIST_MAX_TRACKS} tracks (400 beyond, nothing added)`, async () => {
    const a = await account();
    // Seeded in one statement: ten thousand POST /tracks would be the slow part of this test.
    const rows = await t.app.get(DataSource).query<{ id: string }[]>(
      `INSERT INTO tracks (user_id, title, artist, duration_ms)
         SELECT $1, 'Track ' || n, 'Artist', 1000 FROM generate_series(1, $2::int) AS n RETURNING id`,
      [a.user.user.id, PLAYLIST_MAX_TRACKS + 1],
    );
    const ids = rows.map((row) => row.id);
    await a.post('/playlists', { name: 'Too big', track_ids: ids }).expect(400);
    const full = playlistOf(
      await a.post('/playlists', { name: 'Full', track_ids: ids.slice(0, PLAYLIST_MAX_TRACKS) }).expect(201),
    );
    expect(full.track_count).toBe(PLAYLIST_MAX_TRACKS);
    const res = await a.post(`/playlists/${full.id}/tracks`, { track_ids: [ids[PLAYLIST_MAX_TRACKS]] }).expect(400);
    expect(errorOf(res)).toMatchObject({ error: 'Validation failed', details: [{ field: 'track_ids' }] });
    expect(playlistOf(await a.get(`/playlists/${full.id}`).expect(200)).track_count).toBe(PLAYLIST_MAX_TRACKS);
    const half = playlistOf(await a.post('/playlists', { name: 'Half', track_ids: ids.slice(0, 6000) }).expect(201)).id;
    await a.post(`/playlists/${half}/tracks`, { track_ids: ids.slice(6000) }).expect(400);
    expect(playlistOf(await a.get(`/playlists/${half}`).expect(200)).track_count).toBe(6000);
  });

  it('needs the route scope: read, write and delete are separate', async () => {
    const owner = await account();
    const id = playlistOf(await owner.post('/playlists', { name: 'Scoped' }).expect(201)).id;
    const reader = await keyedAccount(t, ['read:playlists']);
    const writer = await keyedAccount(t, ['write:playlists']);
    const refusal = (scope: Scope) => ({
      error: 'Insufficient permissions',
      required_scopes: [scope],
      reason: 'missing_scope',
    });
    expect(errorOf(await reader.post('/playlists', { name: 'x' }).expect(403))).toEqual(refusal('write:playlists'));
    expect(errorOf(await reader.post(`/playlists/${id}/tracks`, { track_ids: [UNKNOWN_ID] }).expect(403))).toEqual(
      refusal('write:playlists'),
    );
    expect(errorOf(await reader.patch(`/playlists/${id}`, { name: 'x' }).expect(403))).toEqual(
      refusal('write:playlists'),
    );
    expect(errorOf(await reader.delete(`/playlists/${id}/tracks/${UNKNOWN_ID}`).expect(403))).toEqual(
      refusal('write:playlists'),
    );
    expect(errorOf(await writer.get('/playlists').expect(403))).toEqual(refusal('read:playlists'));
    expect(errorOf(await writer.delete(`/playlists/${id}`).expect(403))).toEqual(refusal('delete:playlists'));
    await owner.get(`/playlists/${id}`).expect(200);
  });

  it("never shows or changes another account's playlists (404)", async () => {
    const owner = await account();
    const other = await account();
    const [track] = await addTracks(owner, [{}]);
    const [otherTrack] = await addTracks(other, [{}]);
    const id = playlistOf(await owner.post('/playlists', { name: 'Private', track_ids: [track] }).expect(201)).id;
    expect(pageOf(await other.get('/playlists').expect(200))).toMatchObject({ total: 0, data: [] });
    await other.get(`/playlists/${id}`).expect(404);
    await other.patch(`/playlists/${id}`, { name: 'Mine now' }).expect(404);
    await other.post(`/playlists/${id}/tracks`, { track_ids: [otherTrack] }).expect(404);
    await other.delete(`/playlists/${id}/tracks/${track}`).expect(404);
    await other.delete(`/playlists/${id}`).expect(404);
    const untouched = playlistOf(await owner.get(`/playlists/${id}`).expect(200));
    expect(untouched).toMatchObject({ name: 'Private', track_count: 1, tracks: [{ id: track }] });
  });
});
