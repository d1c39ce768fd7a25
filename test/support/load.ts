import { Agent, request as httpRequest } from 'node:http';

/** One answer as a load loop saw it: the status, or `null` with the error code when the connection failed. */
export interface Answer {
  status: number | null;
  /** The connection error (`ECONNREFUSED`, `ECONNRESET`; `response …` when it broke under a response). */
  error?: string;
  body: string;
  startedAt: number;
  ms: number;
}

/** One GET to a loopback port over `agent` (keep-alive); never rejects: a connection failure is an answer too. */
export function get(port: number, path: string, authorization: string, agent: Agent): Promise<Answer> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const failed = (prefix: string) => (error: NodeJS.ErrnoException) =>
      resolve({
        status: null,
        error: prefix + (error.code ?? error.message),
        body: '',
        startedAt,
        ms: Date.now() - startedAt,
      });
    const req = httpRequest({ host: '127.0.0.1', port, path, agent, headers: { authorization } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? null, body, startedAt, ms: Date.now() - startedAt }));
      res.on('error', failed('response '));
    });
    req.on('error', failed(''));
    req.end();
  });
}

/** Runs `loops` concurrent loops, each sending `step(loop)` after the other while `running()` holds. */
export async function runLoad(
  loops: number,
  step: (loop: number) => Promise<Answer>,
  running: () => boolean,
): Promise<Answer[][]> {
  return Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      const answers: Answer[] = [];
      while (running()) answers.push(await step(loop));
      return answers;
    }),
  );
}

/** How many answers had each status (or connection error), e.g. `200x812 503x96`. */
export function statusCounts(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const { status, error } of answers) {
    const name = status === null ? String(error) : String(status);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}x${count}`)
    .join(' ');
}

/** `p50/p99/max` of the answers' latencies, in ms. */
export function latencies(answers: readonly Answer[]): { p50: number; p99: number; max: number } {
  const sorted = answers.map(({ ms }) => ms).sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** One line of figures for the test output: the load, the statuses, the latencies and what the test adds. */
export function figureLine(label: string, connections: number, answers: readonly Answer[], extra: string): string {
  const { p50, p99, max } = latencies(answers);
  return (
    `${label}: ${connections} connections, ${answers.length} requests; ${statusCounts(answers)}; ` +
    `latency p50/p99/max ${p50}/${p99}/${max} ms; ${extra}\n`
  );
}
