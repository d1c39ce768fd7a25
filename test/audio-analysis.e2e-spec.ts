import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import TuneTrail from 'tunetrail-sdk';
import { registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { startTestApp, TestApp } from './support/test-app';
import { clickTrack, encodeWav, silence, sine, WavDepth, whiteNoise } from './support/wav-files';

/** Small enough that the over-limit file stays quick to send, large enough for every recording below. */
const MAX_BYTES = 4 * 1024 * 1024;
const RATE = 44_100;
const SECONDS = 8;
const BPM_TOLERANCE = 2;
/** The same beat decoded from another format or rate may land a fraction of a hop apart. */
const SAME_BPM_TOLERANCE = 0.5;
/** An analysis takes a second or two; a machine busy with other suites can make it many times that. */
const ANALYSIS_TIMEOUT_MS = 180_000;
const TEMPI = [90, 120, 150];
const SINE_HZ = 440;
const RELATIVE_TOLERANCE = 0.1;
const NOISE_ZCR = { min: 0.45, max: 0.55 };
const INVALID_AUDIO = { error: 'Invalid audio file' };
const UNSUPPORTED = { error: 'Unsupported media type' };
const MISSING_TRACK = '00000000-0000-4000-8000-000000000000';
const AUDIO_SCOPES = ['read:tracks', 'write:tracks', 'read:audio_features', 'write:audio_features'];
/** The audio-features answer: the features a PUT sets, what only a recording gives, and where they came from. */
const MOOD_FIELDS = ['bpm', 'energy', 'danceability', 'valence'];
const DESCRIPTOR_FIELDS = ['acousticness', 'instrumentalness', 'speechiness', 'liveness', 'loudness_db'];
const MEASURED_FIELDS = ['duration_ms', 'rms', 'spectral_centroid_hz', 'zero_crossing_rate'];
const FEATURE_FIELDS = ['track_id', ...MOOD_FIELDS, ...DESCRIPTOR_FIELDS, ...MEASURED_FIELDS, 'source', 'analyzed_at'];
/** The answer of the upload and of GET /tracks/{id}/audio-features. */
interface Features {
  track_id: string;
  bpm: number | null;
  energy: number;
  danceability: number;
  valence: number;
  loudness_db: number | null;
  duration_ms: number | null;
  rms: number | null;
  spectral_centroid_hz: number | null;
  zero_crossing_rate: number | null;
  source: 'analysis' | 'manual';
  analyzed_at: string | null;
  [other: string]: unknown;
}

jest.setTimeout(ANALYSIS_TIMEOUT_MS);

/** Linux scheduling policies (sched(7)) as /proc shows them. */
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** Each thread of this process: its scheduling policy and nice value (fields 41 and 19 of proc(5)'s stat). */
function threadsOfThisProcess(): { tid: number; policy: number; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { tid: Number(tid), policy: Number(fields[38]), nice: Number(fields[16]) };
  });
}

/** The first bytes of a PNG file (signature and IHDR), then filler. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex'),
  Buffer.alloc(64),
]);

describe('Audio analysis: POST /tracks/{id}/audio', () => {
  let t: TestApp;

  const account = async (plan: 'starter' | 'pro' = 'pro', scopes = AUDIO_SCOPES) => {
    const user = await registerUser(t.http);
    await setPlan(t, user.user.id, plan);
    const { key } = await createApiKey(t.http, user.token, { scopes });
    const auth = `Bearer ${key}`;
    const track = async () => {
      const created = await request(t.http)
        .post('/tracks')
        .set('Authorization', auth)
        .send({ title: 'Recording', artist: 'Artist', duration_ms: SECONDS * 1000 })
        .expect(201);
      return (created.body as { id: string }).id;
    };
    const upload = (trackId: string, body: Buffer | string, type = 'audio/wav') =>
      request(t.http).post(`/tracks/${trackId}/audio`).set('Authorization', auth).set('Content-Type', type).send(body);
    const multipart = (trackId: string, body: Buffer, field = 'file') =>
      request(t.http)
        .post(`/tracks/${trackId}/audio`)
        .set('Authorization', auth)
        .attach(field, body, { filename: 'take.wav', contentType: 'audio/wav' });
    return { user, key, auth, track, upload, multipart };
  };
  type Account = Awaited<ReturnType<typeof account>>;
  let a: Account;

  /** Analyses a recording of a fresh track and returns the answer's body. */
  const analyze = async (wav: Buffer) => (await a.upload(await a.track(), wav).expect(200)).body as Features;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIO_MAX_BYTES: String(MAX_BYTES) } });
    // On loopback, so a raw HTTP client (below) can reach it as well as supertest.
    await t.app.listen(0, '127.0.0.1');
    a = await account();
  });
  afterAll(() => t.close());

  describe('measures', () => {
    it.each(TEMPI)('finds the tempo of a click track at %i bpm', async (bpm) => {
      const body = await analyze(encodeWav([clickTrack(bpm, SECONDS, RATE)], RATE));
      expect(Math.abs(body.bpm! - bpm)).toBeLessThanOrEqual(BPM_TOLERANCE);
      expect(body.danceability).toBeGreaterThan(0);
      expect(body.duration_ms).toBe(SECONDS * 1000);
    });

    it('measures a 440 Hz sine: centroid near 440 Hz, zero crossings near 880 a second, no beat', async () => {
      const body = await analyze(encodeWav([sine(SINE_HZ, SECONDS, RATE)], RATE));
      expect(Math.abs(body.spectral_centroid_hz! - SINE_HZ) / SINE_HZ).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      const expectedZcr = (2 * SINE_HZ) / RATE;
      expect(Math.abs(body.zero_crossing_rate! - expectedZcr) / expectedZcr).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      // An amplitude-0.5 sine: RMS 0.5/√2, about −9 dBFS.
      expect(body.rms).toBeCloseTo(0.5 / Math.SQRT2, 3);
      expect(body.loudness_db).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
      expect(body.bpm).toBeNull();
    });

    it('measures white noise: a zero crossing about every other sample', async () => {
      const body = await analyze(encodeWav([whiteNoise(SECONDS, RATE)], RATE));
      expect(body.zero_crossing_rate).toBeGreaterThanOrEqual(NOISE_ZCR.min);
      expect(body.zero_crossing_rate).toBeLessThanOrEqual(NOISE_ZCR.max);
    });

    it('measures digital silence: rms 0, loudness null, energy 0, no beat, no centroid', async () => {
      const body = await analyze(encodeWav([silence(SECONDS, RATE)], RATE));
      expect(body).toMatchObject({
        rms: 0,
        loudness_db: null,
        energy: 0,
        bpm: null,
        spectral_centroid_hz: null,
        zero_crossing_rate: 0,
      });
    });

    describe('the same click track in every sample format, channel count and rate', () => {
      const click = clickTrack(120, SECONDS, RATE);
      let reference: number;
      beforeAll(async () => {
        reference = (await analyze(encodeWav([click], RATE))).bpm as number;
      });

      it.each<[string, () => Buffer]>([
        ...(['8', '16', '24', '32', '32f'] as WavDepth[]).map((depth): [string, () => Buffer] => [
          `${depth}-bit mono`,
          () => encodeWav([click], RATE, depth),
        ]),
        ['16-bit stereo', () => encodeWav([click, click], RATE)],
        ['22.05 kHz', () => encodeWav([clickTrack(120, SECONDS, 22_050)], 22_050)],
        ['48 kHz', () => encodeWav([clickTrack(120, SECONDS, 48_000)], 48_000, '24')],
      ])('gives the same tempo as %s', async (_name, wav) => {
        expect(Math.abs(reference - 120)).toBeLessThanOrEqual(BPM_TOLERANCE);
        const { bpm } = await analyze(wav());
        expect(Math.abs(bpm! - reference)).toBeLessThanOrEqual(SAME_BPM_TOLERANCE);
      });
    });
  });

  describe('storage', () => {
    it('stores the analysis on the track; GET shows every field; PUT makes it manual again', async () => {
      const trackId = await a.track();
      const answer = (await a.upload(trackId, encodeWav([clickTrack(120, SECONDS, RATE)], RATE)).expect(200))
        .body as Features;
      expect(Object.keys(answer).sort()).toEqual([...FEATURE_FIELDS].sort());
      expect(answer).toMatchObject({ track_id: trackId, source: 'analysis', acousticness: null });
      expect(Date.parse(answer.analyzed_at!)).toBeGreaterThan(Date.now() - 60_000);
      for (const field of ['energy', 'danceability', 'valence', 'rms', 'zero_crossing_rate']) {
        expect(answer[field]).toBeGreaterThanOrEqual(0);
        expect(answer[field]).toBeLessThanOrEqual(1);
      }

      const features = await request(t.http).get(`/tracks/${trackId}/audio-features`).set('Authorization', a.auth);
      expect(features.status).toBe(200);
      expect(features.body).toEqual(answer);
      const track = await request(t.http).get(`/tracks/${trackId}`).set('Authorization', a.auth).expect(200);
      expect(track.body).toMatchObject({ bpm: answer.bpm, energy: answer.energy });

      const manual = await request(t.http)
        .put(`/tracks/${trackId}/audio-features`)
        .set('Authorization', a.auth)
        .send({ bpm: 100 })
        .expect(200);
      expect(manual.body).toMatchObject({
        bpm: 100,
        source: 'manual',
        analyzed_at: null,
        rms: null,
        duration_ms: null,
        spectral_centroid_hz: null,
        zero_crossing_rate: null,
      });
    });

    it('answers a new track with every field null and source manual', async () => {
      const trackId = await a.track();
      const res = await request(t.http).get(`/tracks/${trackId}/audio-features`).set('Authorization', a.auth);
      expect(res.body).toEqual({
        ...Object.fromEntries(FEATURE_FIELDS.map((field) => [field, null])),
        track_id: trackId,
        source: 'manual',
      });
    });

    it('accepts multipart/form-data with one field named file', async () => {
      const trackId = await a.track();
      const res = await a.multipart(trackId, encodeWav([clickTrack(120, SECONDS, RATE)], RATE)).expect(200);
      const body = res.body as Features;
      expect(Math.abs(body.bpm! - 120)).toBeLessThanOrEqual(BPM_TOLERANCE);
      expect(body.source).toBe('analysis');
      const wrongField = await a.multipart(trackId, encodeWav([silence(1, RATE)], RATE), 'audio').expect(400);
      expect(wrongField.body).toMatchObject({ error: 'Validation failed', details: [{ field: 'file' }] });
    });

    it('takes audio/x-wav and audio/wave too', async () => {
      const wav = encodeWav([silence(1, RATE)], RATE);
      for (const type of ['audio/x-wav', 'audio/wave', 'audio/wav; codecs=1']) {
        expect((await a.upload(await a.track(), wav, type)).status).toBe(200);
      }
    });
  });

  describe('where it runs', () => {
    const onLinux = process.platform === 'linux' ? it : it.skip;

    onLinux('analyses on a worker thread at idle CPU priority; the request thread keeps its own', async () => {
      await analyze(encodeWav([sine(SINE_HZ, SECONDS, RATE)], RATE));
      const threads = threadsOfThisProcess();
      expect(threads.filter((thread) => thread.policy === SCHED_IDLE).length).toBeGreaterThanOrEqual(1);
      expect(threads.find((thread) => thread.tid === process.pid)).toMatchObject({ policy: SCHED_OTHER, nice: 0 });
    });
  });

  describe('refusals', () => {
    const wav = encodeWav([clickTrack(120, 2, RATE)], RATE);

    it('answers 415 for a PNG, a text file, MP3 and bytes that are not WAV', async () => {
      const trackId = await a.track();
      for (const [body, type] of [
        [PNG, 'image/png'],
        ['just some text', 'text/plain'],
        [Buffer.from('ID3\u0003\u0000\u0000\u0000\u0000\u0000\u0000'), 'audio/mpeg'],
        [PNG, 'audio/wav'],
        ['{"not":"audio"}', 'application/json'],
      ] as const) {
        const res = await a.upload(trackId, body, type);
        expect({ type, status: res.status, body: res.body as unknown }).toEqual({
          type,
          status: 415,
          body: UNSUPPORTED,
        });
      }
      const png = await a.multipart(trackId, PNG).expect(415);
      expect(png.body).toEqual(UNSUPPORTED);
    });

    it('answers 400 "Invalid audio file" for an empty body, a truncated header, a truncated or corrupt file', async () => {
      const trackId = await a.track();
      const corrupt = Buffer.from(wav);
      corrupt.write('junk', 12, 'latin1');
      for (const [name, body] of [
        ['empty', Buffer.alloc(0)],
        ['header cut at 8 bytes', wav.subarray(0, 8)],
        ['header cut at 30 bytes', wav.subarray(0, 30)],
        ['data cut short', wav.subarray(0, wav.length - 1001)],
        ['no fmt chunk', corrupt],
      ] as const) {
        const res = await a.upload(trackId, body);
        expect({ name, status: res.status, body: res.body as unknown }).toEqual({
          name,
          status: 400,
          body: INVALID_AUDIO,
        });
      }
      const features = await request(t.http).get(`/tracks/${trackId}/audio-features`).set('Authorization', a.auth);
      expect(features.body).toMatchObject({ source: 'manual', analyzed_at: null });
    });

    it('answers 413 for a file over AUDIO_MAX_BYTES, raw or multipart', async () => {
      const trackId = await a.track();
      const tooBig = Buffer.concat([wav, Buffer.alloc(MAX_BYTES + 1 - wav.length)]);
      expect((await a.upload(trackId, tooBig)).status).toBe(413);
      const multipart = await a.multipart(trackId, tooBig);
      expect(multipart.status).toBe(413);
      expect(multipart.body).toEqual({ error: 'Payload too large' });
    });

    it('answers 413 to a chunked upload (no Content-Length) once it passes the limit, and stops reading', async () => {
      const trackId = await a.track();
      const { port } = t.http.address() as AddressInfo;
      const chunk = Buffer.alloc(64 * 1024);
      const status = await new Promise<number>((resolve, reject) => {
        const upload = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/tracks/${trackId}/audio`,
            headers: { authorization: a.auth, 'content-type': 'audio/wav', 'transfer-encoding': 'chunked' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        let sent = 0;
        let answered = false;
        upload.on('response', () => (answered = true));
        // Once the server has answered and closed, further writes fail: that is the point.
        upload.on('error', (error) => (answered ? undefined : reject(error)));
        const pump = (): void => {
          while (!answered && sent <= 4 * MAX_BYTES) {
            sent += chunk.length;
            if (!upload.write(chunk)) return void upload.once('drain', pump);
          }
          upload.end();
        };
        pump();
      });
      expect(status).toBe(413);
    });

    it("answers 404 for an unknown track or another account's, 400 for a malformed id", async () => {
      await a.upload(MISSING_TRACK, wav).expect(404);
      const other = await account();
      const foreign = await other.track();
      const res = await a.upload(foreign, wav).expect(404);
      expect(res.body).toEqual({ error: 'Not found' });
      await a.upload('not-a-uuid', wav).expect(400);
    });

    it('works on Starter; refuses the free plan (reason plan) and a key without the scope', async () => {
      const starter = await account('starter');
      const trackId = await starter.track();
      await starter.upload(trackId, wav).expect(200);
      await setPlan(t, starter.user.user.id, 'free');
      const refused = await starter.upload(trackId, wav).expect(403);
      expect(refused.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['write:audio_features'],
        reason: 'plan',
      });
      const readOnly = await account('pro', ['read:tracks', 'write:tracks', 'read:audio_features']);
      const missing = await readOnly.upload(await readOnly.track(), wav).expect(403);
      expect(missing.body).toMatchObject({ reason: 'missing_scope' });
    });

    it('leaves the other routes as they were: audio and multipart bodies are 415 there, JSON still 1 MiB', async () => {
      const post = (type: string, body: Buffer | string) =>
        request(t.http).post('/tracks').set('Authorization', a.auth).set('Content-Type', type).send(body);
      expect((await post('audio/wav', wav)).status).toBe(415);
      const form = await request(t.http).post('/tracks').set('Authorization', a.auth).attach('file', wav, 'a.wav');
      expect(form.status).toBe(415);
      const huge = JSON.stringify({ title: 'x'.repeat(1024 * 1024), artist: 'a', duration_ms: 1 });
      expect((await post('application/json', huge)).status).toBe(413);
    });
  });

  describe('Node SDK', () => {
    it('client.tracks.audioFeatures.analyze uploads a Buffer or a Blob and answers the features', async () => {
      const { port } = t.http.address() as AddressInfo;
      const client = new TuneTrail({ apiKey: a.key, baseUrl: `http://127.0.0.1:${port}` });
      const wav = encodeWav([clickTrack(120, SECONDS, RATE)], RATE);
      const trackId = await a.track();

      const fromBuffer = await client.tracks.audioFeatures.analyze(trackId, wav);
      expect(fromBuffer).toMatchObject({ track_id: trackId, source: 'analysis', duration_ms: SECONDS * 1000 });
      expect(Math.abs(fromBuffer.bpm! - 120)).toBeLessThanOrEqual(BPM_TOLERANCE);
      const fromBlob = await client.tracks.audioFeatures.analyze(trackId, new Blob([wav], { type: 'audio/x-wav' }));
      expect(fromBlob.bpm).toBe(fromBuffer.bpm);
      expect(await client.tracks.audioFeatures.get(trackId)).toEqual(fromBlob);

      await expect(client.tracks.audioFeatures.analyze(trackId, PNG, 'image/png')).rejects.toMatchObject({
        status: 415,
      });
      await expect(client.tracks.audioFeatures.analyze(trackId, wav.subarray(0, 30))).rejects.toMatchObject({
        status: 400,
        error: 'Invalid audio file',
      });
    });
  });
});
