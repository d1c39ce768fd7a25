// ES module entry: `import TuneTrail, { TuneTrailManagement } from 'tunetrail-sdk'`.
import { TuneTrail } from './client.js';

export default TuneTrail;
export { TuneTrail, TuneTrailManagement } from './client.js';
export type { TuneTrailOptions, TuneTrailManagementOptions } from './client.js';
export { DEFAULT_BASE_URL, HttpClient } from './core.js';
export type { ClientOptions, Query, RateLimitState, RequestOptions } from './core.js';
export * from './errors.js';
export { isWellFormedApiKey } from './key-format.js';
export { Page } from './pagination.js';
export type { PageBody } from './pagination.js';
export type { WaitOptions } from './resources/models.js';
export { Resource, path } from './resource.js';
export type * from './types.js';
export type { components, paths, operations } from './generated/openapi.js';
