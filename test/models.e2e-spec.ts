import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import type { ModelJobListResponseDto, ModelJobResponseDto } from '../src/models/dto/model-job-response.dto';
import type { RecommendationsResponseDto } from '../src/tracks/dto/track-response.dto';
import { INTERRUPTED_ERROR, MAX_ATTEMPTS } from '../src/models/model-job-runner';
import type { Scope } from '../src/plans/scopes';
import { setPlan } from './support/accounts';
import { addTracks, insertTracks, keyedAccount, KeyedClient, keyedClient } from './support/catalogue';
import { PLANTED, plantedCatalogue, seededRandom } from './support/planted-catalogue';
import { createTestDatabase, REAL_POSTGRES, startTestApp, TestApp, TestDatabase } from './support/test-app';
import { bodyOf } from './support/http';
import { eventually } from './support/usage';

const MODEL_SCOPES: Scope[] = ['train:models', 'write:tracks', 'read:recommendations', 'write:playlists'];
const JOB_FIELDS = ['created_at', 'error', 'finished_at', 'id', 'metrics', 'name', 'progress', 'started_at', 'status'];
const FAST_POLLING = { MODEL_JOB_POLL_INTERVAL_MS: '100' };
const TRAINING_TIMEOUT_MS = 90_000;
/** Enough tracks that training (and storing its neighbours) is still going when the instance stops. */
const RESTART_CATALOGUE_TRACKS = 1200;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Job = ModelJobResponseDto;
const jobOf = (res: Response) => bodyOf<Job>(res);
const jobsOf = (res: Response) => bodyOf<ModelJobListResponseDto>(res);

const finished = (job: Job) => job.status === 'succeeded' || job.status === 'failed';
const waitForJob = async (a: KeyedClient, id: string, seen: Job[] = []): Promise<Job> =>
  eventually(
    async () => {
      const job = jobOf(await a.get(`/models/${id}`).expect(200));
      seen.push(job);
      return job;
    },
    finished,
    TRAINING_TIMEOUT_MS,
  );

/** Playlists through the API, from lists of track ids. */
const addPlaylists = async (a: KeyedClient, playlists: string[][]) => {
  for (const [n, trackIds] of playlists.entries()) {
    await a.post('/playlists', { name: `Playlist ${n}`, track_ids: trackIds }).expect(201);
  }
};

describe('Models: training on playlists', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: FAST_POLLING })));
  afterAll(() => t.close());

  it(
    'learns planted playlist groups that features cannot see, and ranks with the model',
    async () => {
      const a = await keyedAccount(t, MODEL_SCOPES);
      const planted = plantedCatalogue();
      const ids = await insertTracks(t, a.user.user.id, planted.tracks);
      await addPlaylists(
        a,
        planted.playlists.map((playlist) => playlist.map((i) => ids[i])),
      );

      const queued = jobOf(await a.post('/models/train', { name: 'Planted' }).expect(202));
      expect(Object.keys(queued).sort()).toEqual(JOB_FIELDS);
      expect(queued).toMatchObject({ name: 'Planted', status: 'queued', progress: 0, metrics: null, error: null });
      expect((await a.post('/models/train').expect(409)).body).toEqual({
        error: 'A training job is already queued or running',
      });

      const seen: Job[] = [];
      const job = await waitForJob(a, queued.id, seen);
      expect(job).toMatchObject({ status: 'succeeded', progress: 1, error: null });
      const progress = seen.map((s) => s.progress);
      expect([...progress].sort((x, y) => x - y)).toEqual(progress);
      const metrics = job.metrics!;
      expect(metrics).toMatchObject({ playlists: PLANTED.playlists, tracks: PLANTED.tracks });
      // Random features find a held-out group-mate about 1 time in 30; the playlists about 1 in 4.
      expect(metrics.hit_rate_at_10).toBeGreaterThan(0.2);
      expect(metrics.feature_only_hit_rate_at_10).toBeLessThan(0.1);
      expect(metrics.hit_rate_at_10 - metrics.feature_only_hit_rate_at_10).toBeGreaterThan(0.15);

      const list = jobsOf(await a.get('/models').expect(200));
      expect(list).toMatchObject({ total: 1, limit: 50, offset: 0, data: [{ id: job.id, status: 'succeeded' }] });

      const groupShare = async (seed: number, modelId?: string) => {
        const query = `/recommendations?seed_track_id=${ids[seed]}&limit=10${modelId ? `&model_id=${modelId}` : ''}`;
        const recommended = bodyOf<RecommendationsResponseDto>(await a.get(query).expect(200)).data;
        expect(recommended).toHaveLength(10);
        expect(recommended.map((r) => r.id)).not.toContain(ids[seed]);
        return recommended.filter((r) => planted.groupOf[ids.indexOf(r.id)] === planted.groupOf[seed]).length / 10;
      };
      const seeds = [0, 1, 2, 3, 4, 5];
      for (const seed of seeds) expect(await groupShare(seed, job.id)).toBeGreaterThanOrEqual(0.8);
      let featureShare = 0;
      for (const seed of seeds) featureShare += (await groupShare(seed)) / seeds.length;
      expect(featureShare).toBeLessThan(0.5);

      // Once it is done, another job may be queued.
      await a.post('/models/train').expect(202);
    },
    2 * TRAINING_TIMEOUT_MS,
  );

  it(
    'queues one job per account even when two requests race',
    async () => {
      const a = await keyedAccount(t, MODEL_SCOPES);
      const ids = await addTracks(
        a,
        Array.from({ length: 6 }, () => ({})),
      );
      await addPlaylists(a, [ids.slice(0, 3), ids.slice(3)]);
      const raced = await Promise.all([a.post('/models/train'), a.post('/models/train')]);
      expect(raced.map((res) => res.status).sort()).toEqual([202, 409]);
      const job = jobOf(raced.find((res) => res.status === 202)!);
      expect((await waitForJob(a, job.id)).status).toBe('succeeded');
      expect(jobsOf(await a.get('/models').expect(200)).total).toBe(1);
    },
    2 * TRAINING_TIMEOUT_MS,
  );

  it('answers 422 with too little to train on, queuing nothing', async () => {
    const a = await keyedAccount(t, MODEL_SCOPES);
    expect((await a.post('/models/train').expect(422)).body).toEqual({ error: 'Not enough training data' });
    const [x, y, z] = await addTracks(a, [{}, {}, {}]);
    await addPlaylists(a, [[x, y], [z]]);
    await a.post('/models/train').expect(422);
    expect(jobsOf(await a.get('/models').expect(200))).toMatchObject({ total: 0, data: [] });
  });

  it(
    'refuses model_id when unknown or foreign (404) or not succeeded (409)',
    async () => {
      const a = await keyedAccount(t, MODEL_SCOPES);
      const b = await keyedAccount(t, MODEL_SCOPES);
      const ids = await addTracks(
        a,
        Array.from({ length: 4 }, () => ({})),
      );
      const theirs = await addTracks(
        b,
        Array.from({ length: 4 }, () => ({})),
      );
      await addPlaylists(b, [theirs.slice(0, 2), theirs.slice(2)]);
      const foreign = jobOf(await b.post('/models/train').expect(202)).id;
      expect((await waitForJob(b, foreign)).status).toBe('succeeded');
      const seed = `/recommendations?seed_track_id=${ids[0]}`;
      await a.get(`${seed}&model_id=${UNKNOWN_ID}`).expect(404);
      await a.get(`${seed}&model_id=${foreign}`).expect(404);
      await a.get(`/models/${foreign}`).expect(404);
      await a.get(`${seed}&model_id=nope`).expect(400);
      const [failed] = await t.app
        .get(DataSource)
        .query<{ id: string }[]>(
          `INSERT INTO model_jobs (user_id, status, error, finished_at) VALUES ($1, 'failed', 'Broken', now()) RETURNING id`,
          [a.user.user.id],
        );
      expect((await a.get(`${seed}&model_id=${failed.id}`).expect(409)).body).toEqual({
        error: 'Model has not succeeded',
      });
      // Without model_id, features rank as before.
      expect(bodyOf<RecommendationsResponseDto>(await a.get(seed).expect(200)).data).toHaveLength(3);
    },
    2 * TRAINING_TIMEOUT_MS,
  );

  it('needs the train:models scope, and a Pro plan or better', async () => {
    const noScope = await keyedAccount(t, ['write:tracks', 'read:recommendations']);
    expect((await noScope.post('/models/train').expect(403)).body).toEqual({
      error: 'Insufficient permissions',
      required_scopes: ['train:models'],
      reason: 'missing_scope',
    });
    const downgraded = await keyedAccount(t, ['train:models'], 'pro');
    await downgraded.get('/models').expect(200);
    await setPlan(t, downgraded.user.user.id, 'starter');
    for (const res of [await downgraded.get('/models'), await downgraded.post('/models/train')]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['train:models'],
        reason: 'plan',
      });
    }
  });
});

describe('Models: restarts leave no job running', () => {
  let database: TestDatabase;
  let dataDir: string;
  /** Both instances share one database: PostgreSQL's, or the embedded one's files. */
  const start = (env: Record<string, string> = {}) =>
    startTestApp({ database, env: { ...FAST_POLLING, ...(REAL_POSTGRES ? {} : { DATA_DIR: dataDir }), ...env } });
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'tt-models-'));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'a job cut off by a shutdown runs again; one whose process died is re-queued, or failed after too many tries',
    async () => {
      const first = await start();
      const random = seededRandom(7);
      const big = await keyedAccount(first, MODEL_SCOPES);
      const ids = await insertTracks(
        first,
        big.user.user.id,
        Array.from({ length: RESTART_CATALOGUE_TRACKS }, () => ({
          bpm: 60 + random() * 120,
          energy: random(),
          danceability: random(),
          valence: random(),
        })),
      );
      await addPlaylists(
        big,
        Array.from({ length: 10 }, (_, p) => ids.slice(p * 20, p * 20 + 20)),
      );
      const small = await keyedAccount(first, MODEL_SCOPES);
      const smallIds = await addTracks(
        small,
        Array.from({ length: 4 }, () => ({})),
      );
      await addPlaylists(small, [smallIds.slice(0, 2), smallIds.slice(2)]);
      const doomed = await keyedAccount(first, MODEL_SCOPES);

      const cutOff = jobOf(await big.post('/models/train').expect(202)).id;
      const running = await eventually(
        async () => jobOf(await big.get(`/models/${cutOff}`).expect(200)),
        (job) => job.status !== 'queued',
        TRAINING_TIMEOUT_MS,
      );
      expect(running.status).toBe('running');
      // Jobs another process left running when it died (no heartbeat for a while; this instance's
      // staleness limit is the default, longer than that, so only the next instance takes them back).
      const abandon = async (userId: string, attempts: number) =>
        (
          await first.app.get(DataSource).query<{ id: string }[]>(
            `INSERT INTO model_jobs (user_id, status, attempts, runner_id, started_at, heartbeat_at)
             VALUES ($1, 'running', $2, 'dead-instance', now() - interval '40 seconds', now() - interval '30 seconds')
             RETURNING id`,
            [userId, attempts],
          )
        )[0].id;
      const retried = await abandon(small.user.user.id, 1);
      const exhausted = await abandon(doomed.user.user.id, MAX_ATTEMPTS);
      await first.close();

      const second = await start({ MODEL_JOB_STALE_AFTER_MS: '5000' });
      try {
        const on = (account: { key: string }) => keyedClient(second, account.key);
        expect(await waitForJob(on(big), cutOff)).toMatchObject({ status: 'succeeded', progress: 1 });
        expect(await waitForJob(on(small), retried)).toMatchObject({ status: 'succeeded' });
        expect(await waitForJob(on(doomed), exhausted)).toMatchObject({ status: 'failed', error: INTERRUPTED_ERROR });
        const [{ n }] = await second.app
          .get(DataSource)
          .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM model_jobs WHERE status = 'running'`);
        expect(n).toBe(0);
      } finally {
        await second.close();
      }
    },
    4 * TRAINING_TIMEOUT_MS,
  );
});
