import { expect } from '@jest/globals';
import request from 'supertest';
import type {
  RecommendationsResponseDto,
  TrackListResponseDto,
  TrackResponseDto,
} from '../src/tracks/dto/track-response.dto';
import { registerUser, setPlan } from './support/accounts';
import { createApiKey, DEFAULT_KEY_SCOPES } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Every track scope, which the key helper gives by default. */
const ALL_TRACK_SCOPES = DEFAULT_KEY_SCOPES;
const titlesOf = (res: request.Response): string[] =>
  bodyOf<TrackListResponseDto>(res).data.map((track) => track.title);
const TRACK_FIELDS = [
  'id',
  'title',
  'artist',
  'album',
  'duration_ms',
  'genre',
  'bpm',
  'energy',
  'danceability',
  'valence',
  'created_at',
  'updated_at',
];

describe('The catalogue: tracks, audio features, recommendations', () => {
  let t: TestApp;
  /** An account (with enough rate limit for a catalogue) and a key with every track scope. */
  const account = async (scopes = ALL_TRACK_SCOPES) => {
    const user = await registerUser(t.http);
    await setPlan(t, user.user.id, 'pro');
    const { key } = await createApiKey(t.http, user.token, { scopes });
    const auth = `Bearer ${key}`;
    return {
      user,
      auth,
      get: (path: string) => request(t.http).get(path).set('Authorization', auth),
      post: (path: string, body: object) => request(t.http).post(path).set('Authorization', auth).send(body),
      patch: (path: string, body: object) => request(t.http).patch(path).set('Authorization', auth).send(body),
      put: (path: string, body: object) => request(t.http).put(path).set('Authorization', auth).send(body),
      delete: (path: string) => request(t.http).delete(path).set('Authorization', auth),
    };
  };
  type Account = Awaited<ReturnType<typeof account>>;
  const addTrack = async (a: Account, body: object) =>
    bodyOf<TrackResponseDto>(await a.post('/tracks', { artist: 'Artist', duration_ms: 200_000, ...body }).expect(201));

  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('creates, reads, updates and deletes a track', async () => {
    const a = await account();
    const blue = {
      title: 'Blue',
      artist: 'Nova',
      album: 'Skies',
      duration_ms: 215_000,
      genre: 'house',
      bpm: 124,
      energy: 0.8,
      danceability: 0.7,
      valence: 0.6,
    };
    const created = await a.post('/tracks', blue).expect(201);
    expect(Object.keys(bodyOf<TrackResponseDto>(created)).sort()).toEqual([...TRACK_FIELDS].sort());
    expect(created.body).toMatchObject(blue);
    const id = bodyOf<TrackResponseDto>(created).id;

    expect((await a.get(`/tracks/${id}`).expect(200)).body).toEqual(created.body);
    const updated = await a.patch(`/tracks/${id}`, { title: 'Bluer', album: null }).expect(200);
    expect(updated.body).toMatchObject({ title: 'Bluer', album: null, artist: 'Nova', bpm: 124 });
    await a.delete(`/tracks/${id}`).expect(204);
    await a.get(`/tracks/${id}`).expect(404);
    await a.delete(`/tracks/${id}`).expect(404);
  });

  it.each([
    ['no title', { artist: 'a', duration_ms: 1 }, 'title'],
    ['no duration', { title: 't', artist: 'a' }, 'duration_ms'],
    ['a zero duration', { title: 't', artist: 'a', duration_ms: 0 }, 'duration_ms'],
    ['energy above 1', { title: 't', artist: 'a', duration_ms: 1, energy: 1.2 }, 'energy'],
    ['a bpm of 0', { title: 't', artist: 'a', duration_ms: 1, bpm: 0 }, 'bpm'],
    ['an unknown field', { title: 't', artist: 'a', duration_ms: 1, rating: 5 }, 'rating'],
  ])('refuses a track with %s (400)', async (_case, body, field) => {
    const a = await account();
    const res = await a.post('/tracks', body).expect(400);
    expect(errorOf(res).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses clearing a required field with PATCH (400)', async () => {
    const a = await account();
    const track = await addTrack(a, { title: 'Keep' });
    await a.patch(`/tracks/${track.id}`, { title: null }).expect(400);
  });

  it('searches title, artist and album with q, and pages newest first', async () => {
    const a = await account();
    await addTrack(a, { title: 'Morning Light', artist: 'Sol' });
    await addTrack(a, { title: 'Night Drive', artist: 'Luna', album: 'Morning After' });
    await addTrack(a, { title: '100% Pure', artist: 'Percent' });
    await addTrack(a, { title: 'Evening', artist: 'MORNINGSTAR' });

    const all = await a.get('/tracks').expect(200);
    expect(all.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(titlesOf(all)).toEqual(['Evening', '100% Pure', 'Night Drive', 'Morning Light']);

    const morning = await a.get('/tracks?q=morning').expect(200);
    expect(titlesOf(morning).sort()).toEqual(['Evening', 'Morning Light', 'Night Drive']);
    expect(titlesOf(await a.get('/tracks?q=%25').expect(200))).toEqual(['100% Pure']);

    const page = await a.get('/tracks?limit=2&offset=2').expect(200);
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(titlesOf(page)).toEqual(['Night Drive', 'Morning Light']);
    await a.get('/tracks?limit=0').expect(400);
    await a.get('/tracks?limit=101').expect(400);
  });

  it("never shows or changes another account's tracks", async () => {
    const a = await account();
    const b = await account();
    const track = await addTrack(a, { title: 'Private' });
    expect((await b.get('/tracks').expect(200)).body).toMatchObject({ data: [], total: 0 });
    await b.get(`/tracks/${track.id}`).expect(404);
    await b.patch(`/tracks/${track.id}`, { title: 'Mine' }).expect(404);
    await b.delete(`/tracks/${track.id}`).expect(404);
    await b.get(`/recommendations?seed_track_id=${track.id}`).expect(404);
    await a.get(`/tracks/${track.id}`).expect(200);
    await a.get('/tracks/not-a-uuid').expect(400);
  });

  it('needs the route scope: read, write and delete are separate', async () => {
    const reader = await account(['read:tracks']);
    const res = await reader.post('/tracks', { title: 't', artist: 'a', duration_ms: 1 }).expect(403);
    expect(res.body).toEqual({
      error: 'Insufficient permissions',
      required_scopes: ['write:tracks'],
      reason: 'missing_scope',
    });
    const other = await reader.delete('/tracks/00000000-0000-4000-8000-000000000000').expect(403);
    expect(errorOf(other).required_scopes).toEqual(['delete:tracks']);
    const recommendations = await reader
      .get('/recommendations?seed_track_id=00000000-0000-4000-8000-000000000000')
      .expect(403);
    expect(errorOf(recommendations).required_scopes).toEqual(['read:recommendations']);
  });

  describe('GET /recommendations', () => {
    it("ranks the owner's other tracks by similarity to the seed, seed excluded", async () => {
      const a = await account();
      const seed = await addTrack(a, {
        title: 'Seed',
        genre: 'house',
        bpm: 124,
        energy: 0.8,
        danceability: 0.8,
        valence: 0.6,
      });
      await addTrack(a, { title: 'Twin', genre: 'House', bpm: 125, energy: 0.78, danceability: 0.82, valence: 0.6 });
      await addTrack(a, { title: 'Cousin', genre: 'techno', bpm: 130, energy: 0.9, danceability: 0.7, valence: 0.4 });
      await addTrack(a, { title: 'Unknown' });
      await addTrack(a, { title: 'Opposite', genre: 'ambient', bpm: 70, energy: 0.1, danceability: 0.1, valence: 0.1 });
      const other = await account();
      await addTrack(other, {
        title: 'Stranger twin',
        genre: 'house',
        bpm: 124,
        energy: 0.8,
        danceability: 0.8,
        valence: 0.6,
      });

      const res = bodyOf<RecommendationsResponseDto>(
        await a.get(`/recommendations?seed_track_id=${seed.id}`).expect(200),
      );
      expect(res.seed_track_id).toBe(seed.id);
      expect(res.data.map((x) => x.title)).toEqual(['Twin', 'Cousin', 'Unknown', 'Opposite']);
      const similarities = res.data.map((x) => x.similarity);
      expect([...similarities].sort((x, y) => y - x)).toEqual(similarities);
      expect(similarities[0]).toBeGreaterThan(0.95);
      expect(similarities[3]).toBeLessThan(0.3);

      const top = await a.get(`/recommendations?seed_track_id=${seed.id}&limit=2`).expect(200);
      expect(bodyOf<RecommendationsResponseDto>(top).data).toHaveLength(2);
    });

    it.each([
      '',
      '?seed_track_id=nope',
      '?seed_track_id=00000000-0000-4000-8000-000000000000&limit=0',
      '?seed_track_id=00000000-0000-4000-8000-000000000000&limit=51',
    ])('refuses %s with 400', async (query) => {
      const a = await account();
      await a.get(`/recommendations${query}`).expect(400);
    });

    it('answers 404 for a seed that does not exist', async () => {
      const a = await account();
      await a.get('/recommendations?seed_track_id=00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('audio features', () => {
    it('reads (null where unknown) and sets them on Starter and up', async () => {
      const a = await account([...ALL_TRACK_SCOPES, 'read:audio_features', 'write:audio_features']);
      const track = await addTrack(a, { title: 'Feat', bpm: 100 });
      const read = await a.get(`/tracks/${track.id}/audio-features`).expect(200);
      expect(read.body).toEqual({
        track_id: track.id,
        bpm: 100,
        energy: null,
        danceability: null,
        valence: null,
        acousticness: null,
        instrumentalness: null,
        speechiness: null,
        liveness: null,
        loudness_db: null,
        duration_ms: null,
        rms: null,
        spectral_centroid_hz: null,
        zero_crossing_rate: null,
        source: 'manual',
        analyzed_at: null,
      });
      const put = await a
        .put(`/tracks/${track.id}/audio-features`, { energy: 0.5, danceability: 0.9, loudness_db: -6.5 })
        .expect(200);
      expect(put.body).toMatchObject({
        track_id: track.id,
        bpm: null,
        energy: 0.5,
        danceability: 0.9,
        loudness_db: -6.5,
      });
      expect((await a.get(`/tracks/${track.id}/audio-features`).expect(200)).body).toEqual(put.body);
      expect((await a.get(`/tracks/${track.id}`).expect(200)).body).toMatchObject({
        energy: 0.5,
        danceability: 0.9,
        bpm: null,
      });

      await a.put(`/tracks/${track.id}/audio-features`, { energy: 2 }).expect(400);
      await a.put(`/tracks/${track.id}/audio-features`, { tempo: 120 }).expect(400);
      await a.get('/tracks/00000000-0000-4000-8000-000000000000/audio-features').expect(404);
    });

    it('is refused with reason plan on the free plan, even for a key holding the scope', async () => {
      const user = await registerUser(t.http);
      await setPlan(t, user.user.id, 'starter');
      const { key } = await createApiKey(t.http, user.token, {
        scopes: ['write:tracks', 'read:audio_features', 'write:audio_features'],
      });
      const track = await request(t.http)
        .post('/tracks')
        .set('Authorization', `Bearer ${key}`)
        .send({ title: 't', artist: 'a', duration_ms: 1 })
        .expect(201);
      await setPlan(t, user.user.id, 'free');
      const res = await request(t.http)
        .put(`/tracks/${bodyOf<TrackResponseDto>(track).id}/audio-features`)
        .set('Authorization', `Bearer ${key}`)
        .send({})
        .expect(403);
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['write:audio_features'],
        reason: 'plan',
      });
    });
  });
});
