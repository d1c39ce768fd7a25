'use strict';
// Forked by bench/audio.js: keeps `concurrency` uploads of one WAV file in flight to
// POST /tracks/{id}/audio until told to stop. A process of its own so that sending 30 MB bodies
// never delays the paced /whoami generator's timers, which would count as the service's latency.
const http = require('node:http');
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

/** One upload over a fresh connection; resolves with its duration, rejects on anything but 200. */
function upload({ baseUrl, apiKey, trackId }, wav) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/tracks/${trackId}/audio`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'audio/wav', 'content-length': wav.length },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200) resolve(performance.now() - started);
          else reject(new Error(`upload answered ${response.statusCode}: ${Buffer.concat(chunks).toString()}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(wav);
  });
}

let wav;
let target;
let running = false;
let loops = [];
let uploadsMs = [];

process.on('message', async (message) => {
  if (message.type === 'start') {
    wav ??= readFileSync(message.wavPath);
    target = message.target;
    running = true;
    uploadsMs = [];
    loops = Array.from({ length: message.concurrency }, async () => {
      while (running) uploadsMs.push(await upload(target, wav));
    });
    process.send({ type: 'started' });
  } else if (message.type === 'stop') {
    running = false;
    try {
      await Promise.all(loops);
      process.send({ type: 'stopped', uploadsMs });
    } catch (error) {
      process.send({ type: 'stopped', error: error.message });
    }
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
