import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): EmbeddedDatabase | null =>
        config.databaseUrl ? null : EmbeddedDatabase.open(config.dataDir),
    },
  ],
  exports: [EMBEDDED_DATABASE],
})
class EmbeddedDatabaseModule {}

/** Closes the embedded database after its last connection, so its files are left consistent. */
@Injectable()
class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded.close();
  }
}

@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, EMBEDDED_DATABASE],
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase | null) => {
        new Logger('Database').log(
          config.databaseUrl
            ? 'Using PostgreSQL from DATABASE_URL'
            : `Using embedded PGlite database in ${config.dataDir}`,
        );
        return { ...buildDataSourceOptions(config, embedded ?? undefined), autoLoadEntities: true };
      },
    }),
  ],
  providers: [EmbeddedDatabaseCloser],
})
export class DatabaseModule {}
