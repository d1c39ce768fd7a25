'use strict';

const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (header, rows) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

/** bench/RESULTS.md: the table, the targets, store work per request, the profile and the conditions. */
function renderReport(results) {
  const { machine, settings, scenarios, per_keyed_request: perRequest, profile, targets } = results;
  const { redis, postgres } = perRequest;
  const requestPath = Object.entries(postgres.request_path_statements);
  const { keyed, baseline } = profile;
  const fixed = settings.fixed_rate;
  const baselineCpu = scenarios.find((s) => s.name === 'baseline')?.cpu_us_per_request;
  const lines = [
    '# Benchmark results',
    '',
    `${results.date} · ${machine.cpu} · ${machine.memory_gb} GB · Node ${machine.node} · commit ${machine.commit ?? 'unknown'} · 1-minute load average ${machine.load_average_1m} at start`,
    '',
    table(
      [
        'scenario',
        'req/s',
        'x baseline',
        'x baseline by round: median (min-max)',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'non-2xx',
        'failed in warm-ups',
        'server CPU µs/req',
        'CPU x baseline',
        'req/s by round',
      ],
      scenarios.map((s) => [
        `\`${s.name}\``,
        s.rps,
        s.ratio_to_baseline.toFixed(2),
        s.name === 'baseline'
          ? '-'
          : `${s.ratio_to_baseline_median.toFixed(2)} (${s.ratio_to_baseline_min.toFixed(2)}-${s.ratio_to_baseline_max.toFixed(2)})`,
        s.p50_ms.toFixed(2),
        s.p99_ms.toFixed(2),
        s.max_ms.toFixed(2),
        s.errors,
        s.non_2xx,
        s.warmup_failures,
        s.cpu_us_per_request ?? '-',
        s.cpu_us_per_request && baselineCpu ? (s.cpu_us_per_request / baselineCpu).toFixed(2) : '-',
        s.rounds_rps.join(' / '),
      ]),
    ),
    '',
    "Figures over all rounds combined; \"x baseline by round\" divides each round's req/s by `baseline`'s in the same round (measured seconds apart, so the machine's drift mostly cancels).",
    '',
    `Latency at a paced ${results.at_fixed_rate[0].rate} req/s (${fixed.share_of_keyed_rps * 100}% of \`keyed\`'s throughput), where neither scenario should queue. ` +
      `The bench's own generator (\`bench/lib/paced-load.js\`) schedules requests evenly spaced in time and starts each one, once due, on a free one of ${settings.connections} keep-alive connections; ` +
      "a request that finds none free waits, and every latency counts from the request's scheduled start, so queueing is not hidden. " +
      `After a ${fixed.warmup_seconds} s paced warm-up of each, ${fixed.runs_per_scenario} runs of ${fixed.seconds_per_run} s per scenario, interleaved in alternating order, combined. ` +
      "Start lag (scheduled start to write: timer granularity, the generator's own CPU, waits for a connection, stalls of the shared machine) is part of each latency; " +
      "the generator's timer lateness at worst tells a stall of the generator or the machine from waits for a connection the server has not answered on.",
    '',
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'p99 ms by run',
        'start lag p50 / p99 ms',
        'generator timer late, max ms',
        'generator CPU µs/req',
        'service event-loop delay p99 / max ms by run',
        'errors',
        'non-2xx',
        'failed in warm-ups',
      ],
      results.at_fixed_rate.map((s) => [
        `\`${s.name}\``,
        s.rps,
        s.p50_ms.toFixed(2),
        s.p99_ms.toFixed(2),
        s.max_ms.toFixed(2),
        s.runs_p99_ms.join(' / '),
        `${s.start_lag_p50_ms.toFixed(2)} / ${s.start_lag_p99_ms.toFixed(2)}`,
        s.generator_timer_late_max_ms.toFixed(2),
        s.generator_cpu_us_per_request ?? '-',
        s.service_loop_delay_by_run.map((d) => `${d.p99_ms} / ${d.max_ms}`).join(', '),
        s.errors,
        s.non_2xx,
        s.warmup_failures,
      ]),
    ),
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      targets.map((t) => [t.target, t.value, t.met === null ? '-' : t.met ? 'yes' : '**no**']),
    ),
    '',
    `## Store work per keyed request (${perRequest.requests} counted \`GET /whoami\` requests, key cached)`,
    '',
    `- Redis: **${redis.service_commands_per_request}** command(s) per request from the service's ${redis.service_connections} connection(s) ` +
      `(${
        Object.entries(redis.service_commands)
          .map(([c, n]) => `${c} ${n}`)
          .join(', ') || 'none'
      }; MONITOR, attributed by client address), ` +
      `inside which the script runs ${redis.script_internal_commands_per_request} commands on the server. ` +
      `Cross-check, server-wide \`INFO commandstats\` delta less those script-internal calls and less the background rate measured just before: ` +
      `${redis.server_commands_per_request_less_background} per request (the Redis is shared; background ${redis.background_commands_per_second} commands/s). ` +
      `Redis time inside the script: **${redis.script_usec_per_decision} µs** per decision (\`INFO commandstats\` usec of EVALSHA over ${perRequest.requests} more requests without MONITOR; wall time, so it grows when the shared machine takes Redis off the CPU); ` +
      `Redis main-thread CPU (\`INFO cpu\`, network and parsing included, less its idle rate): ${redis.server_cpu_us_per_request} µs per request.`,
    `- PostgreSQL: **${postgres.request_path_statements_per_request}** statements per request on the request path` +
      (requestPath.length
        ? ` (${requestPath.map(([sql, { count, called_from: from }]) => `\`${sql.slice(0, 100)}\` x${count} from ${from.join(' < ') || 'outside dist/src'}`).join('; ')})`
        : '') +
      `${postgres.key_cache_misses ? `; ${postgres.key_cache_misses} key look-up(s) by hash (key-cache misses: an entry's TTL ran out)` : '; no key look-up (every request a cache hit)'}` +
      `; usage rows arrived in ${postgres.usage_batch_statements} batch statement(s) (~${postgres.usage_rows_per_batch ?? '-'} rows each` +
      `${postgres.usage_table ? `, \`${postgres.usage_table}\`` : ''})` +
      `${
        Object.keys(postgres.batch_bookkeeping_statements).length
          ? `, with ${Object.entries(postgres.batch_bookkeeping_statements)
              .map(([sql, n]) => `\`${sql.slice(0, 60)}\` x${n}`)
              .join(', ')}`
          : ''
      }. ` +
      `Counted inside the service by a wrapper around \`pg.Client#query\` (pg_stat_statements is not preloaded on the shared server).`,
    '',
    `## Profile of \`keyed\` (${keyed.samples} samples at ${keyed.sampling_interval_us} µs, ${keyed.busy_pct}% busy, ${keyed.rps_while_profiling} req/s while profiling)`,
    '',
    'The V8 sampling profiler (the one `node --cpu-prof` runs) started inside the service for one keyed run only, then for one baseline run; ' +
      `profiles in \`${keyed.file}\` and \`${baseline.file}\` (open them in Chrome DevTools). ` +
      `Main-thread CPU per request: **${keyed.busy_us_per_request} µs** keyed, ${baseline.busy_us_per_request} µs baseline.`,
    '',
    'Top self time in `keyed`:',
    '',
    table(
      ['function', 'self %', 'µs/req'],
      keyed.functions.map((f) => [`\`${f.name}\``, f.self_pct, f.us_per_request]),
    ),
    '',
    'What the keyed path adds over the baseline, by module (self time, main-thread µs per request):',
    '',
    table(
      ['module', 'baseline', 'keyed', 'added'],
      profile.added_by_keyed.map((m) => [`\`${m.name}\``, m.baseline_us, m.keyed_us, m.added_us]),
    ),
    '',
    '## Conditions',
    '',
    `- ${settings.rounds} rounds of ${settings.measured_seconds_per_round} s measured per scenario, in the order ${settings.round_order.odd.join(', ')} in odd rounds and ` +
      `${settings.round_order.even.join(', ')} in even ones (\`baseline\` and \`keyed\` adjacent, neither always first); ` +
      `an unmeasured warm-up before each run, ${settings.warmup_seconds} s before a scenario's first round and ${settings.later_warmup_seconds} s before later ones; ` +
      `${settings.connections} connections, no pipelining, as fast as the server answers. Total run ${results.total_seconds} s.`,
    `- Service: ${settings.service}; request logging is off at LOG_LEVEL=warn. Set up by ${settings.setup}.`,
    '- Conventional app: bench/conventional (Nest on Express, passport API-key strategy with a TypeORM look-up per request, @nestjs/throttler with a Redis storage making one round trip per window, one INSERT per usage row), NODE_ENV=production.',
    '- Peer app: bench/peer (plain Fastify, @fastify/rate-limit on the same Redis through ioredis, one minute window per key, a bearer check against an in-memory map, no usage rows), NODE_ENV=production.',
    `- Service output during the run (warnings and errors at LOG_LEVEL=warn): ${results.app_output.service.length ? `${results.app_output.service.length} line(s), the last: \`${results.app_output.service.at(-1).slice(0, 300)}\`` : 'none'}.`,
    `- Load generators, in the bench process on the same machine (${machine.os}, 1-minute load average ${machine.load_average_1m} at start) as the service, PostgreSQL and Redis: ` +
      'autocannon for the rounds, `bench/lib/paced-load.js` for the paced runs. Latency percentiles from every response at sub-millisecond resolution.',
    '',
  ];
  return lines.join('\n');
}

module.exports = { renderReport };
