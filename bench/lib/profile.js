'use strict';
const path = require('node:path');

const SPECIAL = new Set(['(program)', '(garbage collector)', '(root)']);

/** Where a profiled function lives: a package, a file of the service, a Node internal or V8. */
function moduleOf(url, repoRoot) {
  if (!url) return '(native / V8)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packageMatch) return packageMatch[1];
  if (file.startsWith('node:')) return `node:${file.slice(5).split('/').slice(0, 2).join('/')}`;
  return path.relative(repoRoot, file);
}

/**
 * Self time by function and by module from a V8 `.cpuprofile` (the format `node --cpu-prof`
 * writes), as a share of the busy (non-idle) samples and as main-thread µs per request served
 * while it ran.
 */
function summarizeProfile(profile, repoRoot, requests) {
  const usPerSample = (profile.endTime - profile.startTime) / profile.samples.length;
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const byFunction = new Map();
  const byModule = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = selfSamples.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (count === 0 || functionName === '(idle)') continue;
    busy += count;
    const special = SPECIAL.has(functionName);
    const module = special ? functionName : moduleOf(url, repoRoot);
    const name = special ? functionName : `${functionName || '(anonymous)'} ${module}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byModule.set(module, (byModule.get(module) ?? 0) + count);
  }
  const usPerRequest = (count) => Math.round(((count * usPerSample) / requests) * 10) / 10;
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => ({
        name,
        self_pct: Math.round((count / busy) * 1000) / 10,
        us_per_request: usPerRequest(count),
      }));
  return {
    samples: profile.samples.length,
    busy_pct: Math.round((busy / profile.samples.length) * 1000) / 10,
    busy_us_per_request: usPerRequest(busy),
    functions: rank(byFunction),
    modules: rank(byModule),
  };
}

/** Per module: main-thread µs per request in each profile, and what the second adds. */
function compareModules(base, other, top) {
  const baseUs = new Map(base.modules.map((m) => [m.name, m.us_per_request]));
  const otherUs = new Map(other.modules.map((m) => [m.name, m.us_per_request]));
  const names = new Set([...baseUs.keys(), ...otherUs.keys()]);
  return [...names]
    .map((name) => {
      const a = baseUs.get(name) ?? 0;
      const b = otherUs.get(name) ?? 0;
      return { name, baseline_us: a, keyed_us: b, added_us: Math.round((b - a) * 10) / 10 };
    })
    .sort((x, y) => y.added_us - x.added_us)
    .slice(0, top);
}

module.exports = { compareModules, summarizeProfile };
