import { Foundation1764000000000 } from './1764000000000-foundation';

/** Every migration, in order. The app runs pending ones at start-up; the CLI uses the same list. */
export const MIGRATIONS = [Foundation1764000000000];
