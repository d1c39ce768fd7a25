'use strict';
const path = require('node:path');

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

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
 * writes). Shares are of the busy (non-idle) samples.
 */
function summarizeProfile(profile, repoRoot, top = 15) {
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const byFunction = new Map();
  const byModule = new Map();
  let busy = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const count = selfSamples.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += count;
      continue;
    }
    busy += count;
    const special = SPECIAL.has(functionName);
    const module = special ? functionName : moduleOf(url, repoRoot);
    const name = special ? functionName : `${functionName || '(anonymous)'} ${module}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byModule.set(module, (byModule.get(module) ?? 0) + count);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, self_pct: Math.round((count / busy) * 1000) / 10 }));
  const totalSamples = busy + idle;
  return {
    samples: totalSamples,
    busy_pct: Math.round((busy / totalSamples) * 1000) / 10,
    functions: rank(byFunction),
    modules: rank(byModule),
  };
}

module.exports = { summarizeProfile };
