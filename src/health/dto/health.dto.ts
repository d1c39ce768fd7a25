export class LivenessDto {
  /** Always `ok` while the process answers. */
  status: 'ok';
}

export class DependencyStateDto {
  /** `up`, `down`, or `embedded` (the in-process stand-in is in use). */
  status: 'up' | 'down' | 'embedded';
  /** What backs this dependency: `postgresql`, `pglite`, `redis`, `redis-cluster` or `in-memory`. */
  backend: string;
}

export class ReadinessChecksDto {
  database: DependencyStateDto;
  redis: DependencyStateDto;
}

export class ReadinessDto {
  /** `ok`: all up; `degraded`: Redis down, rate limits per instance in memory; `down`: PostgreSQL down. */
  status: 'ok' | 'degraded' | 'down';
  checks: ReadinessChecksDto;
}
