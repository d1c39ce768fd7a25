import type { Pool, QueryResultRow } from 'pg';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A hot read run straight on the pg pool as a named statement: PostgreSQL parses and plans it once
 * per connection, and no query is built or entity transformed per call. For the request path's
 * reads only; everything else goes through TypeORM. Pool timeouts and error mapping apply as to any query.
 */
export class PreparedStatement<Row extends QueryResultRow> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async rows(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    return (await pool.query<Row>({ name: this.name, text: this.text, values })).rows;
  }
}

/**
 * An entity's columns under their property names (`alias.column AS "property"`), so a row read by a
 * {@link PreparedStatement} needs no mapping beyond `Object.assign` onto an instance.
 */
export const columnsAsProperties = (metadata: EntityMetadata, alias: string): string =>
  metadata.columns.map((c) => `${alias}.${c.databaseName} AS "${c.propertyName}"`).join(', ');
