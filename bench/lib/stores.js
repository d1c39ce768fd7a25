'use strict';
const { Client } = require('pg');
const { createClient } = require('redis');

/** Runs statements on one short-lived connection. */
async function withPg(url, work) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl, name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createDatabase(adminUrl, name) {
  await withPg(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return databaseUrl(adminUrl, name);
}

async function dropDatabase(adminUrl, name) {
  await withPg(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** `INFO commandstats` as { calls: { command: calls }, usec: { command: microseconds spent in it } }. */
async function commandStats(redis) {
  const info = await redis.info('commandstats');
  const calls = {};
  const usec = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    calls[match[1]] = Number(match[2]);
    usec[match[1]] = Number(match[3]);
  }
  return { calls, usec };
}

/** The Redis server's main-thread CPU seconds (user + system) from `INFO cpu`. */
async function serverCpuSeconds(redis) {
  const info = await redis.info('cpu');
  const value = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return value('used_cpu_user_main_thread') + value('used_cpu_sys_main_thread');
}

function diffCounts(before, after) {
  const delta = {};
  for (const [name, value] of Object.entries(after)) {
    const change = value - (before[name] ?? 0);
    if (change !== 0) delta[name] = change;
  }
  return delta;
}

const total = (counts) => Object.values(counts).reduce((sum, value) => sum + value, 0);

/**
 * Every command Redis executes while `work` runs, from a MONITOR connection: the bench attributes
 * them to the service by the client addresses that touched its unique key prefix.
 */
async function monitorDuring(redisUrl, work) {
  const monitor = createClient({ url: redisUrl });
  await monitor.connect();
  const lines = [];
  await monitor.monitor((line) => lines.push(line));
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { result, lines };
  } finally {
    monitor.destroy();
  }
}

/** Commands per client address from MONITOR lines: `<time> [<db> <addr>] "CMD" "arg" ...`. */
function commandsByClient(lines) {
  const byClient = new Map();
  for (const line of lines) {
    const match = /^\S+ \[\d+ (\S+)\] "([^"]+)"/.exec(line);
    if (!match) continue;
    const [, address, command] = match;
    if (!byClient.has(address)) byClient.set(address, { commands: {}, lines: [] });
    const entry = byClient.get(address);
    entry.commands[command.toLowerCase()] = (entry.commands[command.toLowerCase()] ?? 0) + 1;
    entry.lines.push(line);
  }
  return byClient;
}

/** Deletes the keys under the bench's own prefix (never anything else). */
async function deleteRedisKeys(redis, prefix) {
  let deleted = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) deleted += await redis.unlink(keys);
  }
  return deleted;
}

module.exports = {
  commandStats,
  commandsByClient,
  createDatabase,
  deleteRedisKeys,
  diffCounts,
  dropDatabase,
  monitorDuring,
  serverCpuSeconds,
  total,
  withPg,
};
