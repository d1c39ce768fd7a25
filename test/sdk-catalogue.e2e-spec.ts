import { randomUUID } from 'node:crypto';
import TuneTrail, { ConflictError, NotFoundError, TuneTrailManagement, type Scope } from 'tunetrail-sdk';
import { setPlan } from './support/accounts';
import { CATALOGUE_LIMITS } from './support/catalogue';
import { listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery staple';
const SCOPES: Scope[] = [
  'write:tracks',
  'read:recommendations',
  'read:playlists',
  'write:playlists',
  'delete:playlists',
  'train:models',
];
const TRAINING_TIMEOUT_MS = 90_000;

describe('Node SDK (tunetrail-sdk): client.playlists and client.models against the running service', () => {
  let t: TestApp;
  let client: TuneTrail;
  let other: TuneTrail;

  const keyedClient = async (baseUrl: string): Promise<TuneTrail> => {
    const management = new TuneTrailManagement({ baseUrl });
    const registered = await management.auth.register({ email: `sdk-${randomUUID()}@example.com`, password: PASSWORD });
    await setPlan(t, registered.user.id, 'enterprise', CATALOGUE_LIMITS);
    const created = await management.apiKeys.create({ name: 'catalogue', scopes: SCOPES });
    return new TuneTrail({ apiKey: created.api_key, baseUrl });
  };
  const track = async (c: TuneTrail, title: string, bpm: number) =>
    (await c.tracks.create({ title, artist: 'Nova', duration_ms: 200_000, bpm })).id;

  beforeAll(async () => {
    t = await startTestApp({ env: { MODEL_JOB_POLL_INTERVAL_MS: '100' } });
    const baseUrl = await listenOnLoopback(t);
    client = await keyedClient(baseUrl);
    other = await keyedClient(baseUrl);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it('creates, reads, lists, changes and deletes playlists, with typed errors', async () => {
    const [one, two, three] = [
      await track(client, 'One', 90),
      await track(client, 'Two', 100),
      await track(client, 'Three', 110),
    ];
    const created = await client.playlists.create({ name: 'Morning', track_ids: [one, two] });
    expect(created).toMatchObject({ name: 'Morning', description: null, track_count: 2 });

    const inserted = await client.playlists.addTracks(created.id, { track_ids: [three], position: 1 });
    expect(inserted.tracks.map((t) => t.title)).toEqual(['One', 'Three', 'Two']);
    await expect(client.playlists.addTracks(created.id, { track_ids: [one] })).rejects.toBeInstanceOf(ConflictError);
    const foreign = await track(other, 'Theirs', 120);
    await expect(client.playlists.addTracks(created.id, { track_ids: [foreign] })).rejects.toBeInstanceOf(
      NotFoundError,
    );

    const removed = await client.playlists.removeTrack(created.id, three);
    expect(removed.tracks.map((t) => t.id)).toEqual([one, two]);
    expect((await client.playlists.update(created.id, { description: 'Early' })).description).toBe('Early');
    expect((await client.playlists.get(created.id)).track_count).toBe(2);

    await client.playlists.create({ name: 'Evening' });
    const page = await client.playlists.list({ limit: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1 });
    const names: string[] = [];
    for await (const playlist of page) names.push(playlist.name);
    expect(names).toEqual(['Evening', 'Morning']);

    await client.playlists.delete(created.id);
    await expect(client.playlists.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.playlists.get(page.data[0].id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it(
    'trains a model, waits for it and recommends with it',
    async () => {
      const ids = [await track(client, 'A', 90), await track(client, 'B', 150), await track(client, 'C', 95)];
      await client.playlists.create({ name: 'Mix 1', track_ids: [ids[0], ids[1]] });
      await client.playlists.create({ name: 'Mix 2', track_ids: [ids[2], ids[1]] });
      const queued = await client.models.train({ name: 'First' });
      expect(queued).toMatchObject({ name: 'First', status: 'queued', progress: 0 });
      await expect(client.models.train()).rejects.toBeInstanceOf(ConflictError);

      const done = await client.models.waitUntilFinished(queued.id, { intervalMs: 100 });
      expect(done).toMatchObject({ status: 'succeeded', progress: 1 });
      expect(done.metrics).toMatchObject({ playlists: 2 });
      expect((await client.models.list()).data.map((job) => job.id)).toContain(queued.id);

      const ranked = await client.recommendations.list({ seed_track_id: ids[0], model_id: queued.id, limit: 1 });
      expect(ranked.data[0].id).toBe(ids[1]);
      await expect(other.models.get(queued.id)).rejects.toBeInstanceOf(NotFoundError);
    },
    TRAINING_TIMEOUT_MS,
  );
});
