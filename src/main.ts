import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { DataDirLockedError, EmbeddedDatabase } from './database/embedded-database';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new Logger('Bootstrap');
  if (!config.databaseUrl) EmbeddedDatabase.assertFree(config.dataDir);
  const app = await createApp(config);
  // SIGTERM/SIGINT: stop accepting at once, answer what is in flight (Connection: close), flush the
  // usage buffer, close the stores; past SHUTDOWN_TIMEOUT_MS the process exits anyway.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const startedAt = Date.now();
    logger.log(`${signal} received: shutting down (at most ${config.shutdownTimeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`Shutdown took over ${config.shutdownTimeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    app.close().then(
      () => {
        logger.log(`Shut down in ${Date.now() - startedAt} ms`);
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`Shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen(config.port, config.host);
  logger.log(`TuneTrail API listening on http://${config.host}:${config.port} (docs at /docs)`);
}

bootstrap().catch((error: Error) => {
  // A refusal the operator can act on (e.g. a second instance on the same data directory) needs no stack.
  if (error instanceof DataDirLockedError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Start-up failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
