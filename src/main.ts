import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigValidationError, loadConfig } from './config/app-config';

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
  const app = await createApp(config);
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, flush buffers, close stores.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`TuneTrail API listening on http://${config.host}:${config.port} (docs at /docs)`);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`Start-up failed: ${error.message}\n`);
  process.exit(1);
});
