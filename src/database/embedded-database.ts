import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const IN_MEMORY_DATA_DIR = 'memory://';
/** Holds the pid of the process using a data directory. */
export const LOCK_FILE = 'tunetrail.lock';

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by another process (pid ${pid}). Stop it, or set DATA_DIR to another directory.`,
    );
    this.name = DataDirLockedError.name;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite (PostgreSQL compiled to WASM) in this process, reached through the real `pg` driver.
 * PGlite has one session, so the pool must hold exactly one connection; a lock file keeps a second
 * process off the same data directory.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    private readonly lockFile?: string,
  ) {}

  /**
   * Throws {@link DataDirLockedError} when another running process holds the data directory. main.ts
   * asks before building the app, so the refusal is one line rather than Nest's start-up stack trace.
   */
  static assertFree(dataDir: string): void {
    if (dataDir === IN_MEMORY_DATA_DIR) return;
    const dir = resolve(dataDir);
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    } catch {
      // no lock file: the directory is free
    }
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder))
      throw new DataDirLockedError(dir, holder);
  }

  static open(dataDir: string): EmbeddedDatabase {
    if (dataDir === IN_MEMORY_DATA_DIR) return new EmbeddedDatabase(new PGlite(IN_MEMORY_DATA_DIR));
    EmbeddedDatabase.assertFree(dataDir);
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const lockFile = join(dir, LOCK_FILE);
    writeFileSync(lockFile, String(process.pid));
    return new EmbeddedDatabase(new PGlite(join(dir, 'pgdata')), lockFile);
  }

  /** `pg` Pool options (merged through TypeORM's `extra`) that route the one connection into PGlite. */
  poolOptions(): Record<string, unknown> {
    return { ...createPgConfig(this.pglite) };
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}
