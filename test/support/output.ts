/**
 * Everything the process writes to stdout/stderr while `run` goes on. Install it before the app
 * starts, so pino writes through process.stdout rather than straight to fd 1.
 */
export async function captureOutput(run: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const record = (chunk: unknown) =>
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (record(chunk), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (record(chunk), true));
  try {
    await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return chunks.join('');
}
