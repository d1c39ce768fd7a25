import { DataSource } from 'typeorm';
import request from 'supertest';
import type { PlanId } from '../../src/plans/plan.entity';
import type { Scope } from '../../src/plans/scopes';
import { registerUser, setPlan } from './accounts';
import { createApiKey } from './api-keys';
import type { TestApp } from './test-app';

/** Limits high enough for a test to build a catalogue of hundreds of tracks in a few seconds. */
export const CATALOGUE_LIMITS = { minute: 100_000, hour: 1_000_000, day: 10_000_000 };

/** An account on `plan` (enterprise with {@link CATALOGUE_LIMITS} by default) and a key with `scopes`. */
export async function keyedAccount(t: TestApp, scopes: Scope[], plan: PlanId = 'enterprise') {
  const user = await registerUser(t.http);
  await setPlan(t, user.user.id, plan, plan === 'enterprise' ? CATALOGUE_LIMITS : undefined);
  const { key } = await createApiKey(t.http, user.token, { scopes });
  return { user, key, ...keyedClient(t, key) };
}

/** supertest calls carrying one API key. */
export function keyedClient(t: TestApp, key: string) {
  const auth = `Bearer ${key}`;
  return {
    get: (path: string) => request(t.http).get(path).set('Authorization', auth),
    post: (path: string, body: object = {}) => request(t.http).post(path).set('Authorization', auth).send(body),
    patch: (path: string, body: object) => request(t.http).patch(path).set('Authorization', auth).send(body),
    delete: (path: string) => request(t.http).delete(path).set('Authorization', auth),
  };
}
export type KeyedClient = ReturnType<typeof keyedClient>;

/** Creates tracks through the API, a few requests at a time; returns their ids in the order given. */
export async function addTracks(client: KeyedClient, bodies: object[], concurrency = 8): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  for (let start = 0; start < bodies.length; start += concurrency) {
    await Promise.all(
      bodies.slice(start, start + concurrency).map(async (body, i) => {
        const res = await client.post('/tracks', { title: 'Track', artist: 'Artist', duration_ms: 180_000, ...body });
        if (res.status !== 201) throw new Error(`add track failed: ${res.status} ${JSON.stringify(res.body)}`);
        ids[start + i] = (res.body as { id: string }).id;
      }),
    );
  }
  return ids;
}

/** Tracks inserted in one statement (for catalogues too big to create request by request); ids in order. */
export async function insertTracks(
  t: TestApp,
  userId: string,
  tracks: { bpm: number; energy: number; danceability: number; valence: number }[],
): Promise<string[]> {
  const column = (name: keyof (typeof tracks)[number]) => tracks.map((track) => track[name]);
  const rows = await t.app.get(DataSource).query<{ id: string }[]>(
    `INSERT INTO tracks (user_id, title, artist, duration_ms, bpm, energy, danceability, valence)
     SELECT $1, 'Track ' || n, 'Artist', 180000, bpm, energy, danceability, valence
       FROM unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY
            AS given (bpm, energy, danceability, valence, n)
      ORDER BY n RETURNING id`,
    [userId, column('bpm'), column('energy'), column('danceability'), column('valence')],
  );
  return rows.map((row) => row.id);
}
