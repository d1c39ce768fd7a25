import { spawn, spawnSync } from 'node:child_process';

export interface Finished {
  code: number | null;
  output: string;
}

/**
 * Runs a command to its end without blocking the event loop (the service under test answers from
 * this same process), with stdout and stderr together as the output.
 */
export function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Whether `python3` can import `module`. */
export const pythonHas = (module: string): boolean =>
  spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** Environment for running the Python SDK from its sources (no install), leaving no bytecode behind. */
export const PYTHON_SDK_ENV = { PYTHONPATH: 'sdk/python/src', PYTHONDONTWRITEBYTECODE: '1' };
