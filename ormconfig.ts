import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { EmbeddedDatabase } from './src/database/embedded-database';

// The TypeORM CLI's DataSource (npm run migration:generate|run|revert): the app's options, plus entity
// files so `migration:generate` can diff them against the schema.
const config = loadConfig(process.env);
const embedded = config.databaseUrl ? undefined : EmbeddedDatabase.open(config.dataDir);

export default new DataSource({
  ...buildDataSourceOptions(config, embedded),
  migrationsRun: false,
  entities: [`${__dirname}/src/**/*.entity.{ts,js}`],
});
