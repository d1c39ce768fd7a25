import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { EmbeddedDatabase } from './embedded-database';
import { MIGRATIONS } from './migrations';

/**
 * The one DataSource options object, shared by the app (TypeOrmModule) and `ormconfig.ts` (the
 * migration CLI). Without DATABASE_URL, `embedded` supplies the PGlite connection.
 */
export function buildDataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl'> &
    Partial<Pick<AppConfig, 'databaseConnectTimeoutMs' | 'databaseStatementTimeoutMs'>>,
  embedded?: EmbeddedDatabase,
): DataSourceOptions {
  if (!config.databaseUrl && !embedded) throw new Error('Either DATABASE_URL or an embedded database is required');
  return {
    type: 'postgres',
    // Idle connections stay open (pg closes them after 10 s by default): re-opening one when traffic
    // resumes starts a PostgreSQL backend while requests wait.
    // Bounded waits: a database that accepts connections but never answers fails the request (503)
    // after the connect or statement timeout instead of holding it forever.
    ...(config.databaseUrl
      ? {
          url: config.databaseUrl,
          poolSize: 10,
          extra: {
            idleTimeoutMillis: 0,
            connectionTimeoutMillis: config.databaseConnectTimeoutMs,
            statement_timeout: config.databaseStatementTimeoutMs,
            query_timeout: config.databaseStatementTimeoutMs,
          },
        }
      : { poolSize: 1, extra: embedded!.poolOptions() }),
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: 'tunetrail-api',
  };
}
