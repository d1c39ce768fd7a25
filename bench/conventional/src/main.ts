import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { readSettings } from './settings';

/** The conventional NestJS stack the bench compares against: Express, passport, throttler, TypeORM. */
async function bootstrap(): Promise<void> {
  const settings = readSettings(process.env);
  const app = await NestFactory.create(AppModule.forRoot(settings), { logger: ['fatal', 'error', 'warn'] });
  app.enableShutdownHooks(['SIGTERM']);
  await app.listen(settings.port, '127.0.0.1');
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`Conventional app failed to start: ${error.message}\n`);
  process.exit(1);
});
