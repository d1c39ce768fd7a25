import { Foundation1764000000000 } from './1764000000000-foundation';
import { ApiKeys1764000001000 } from './1764000001000-api-keys';
import { Tracks1764000002000 } from './1764000002000-tracks';
import { Usage1764000003000 } from './1764000003000-usage';
import { Playlists1764000004000 } from './1764000004000-playlists';
import { Models1764000005000 } from './1764000005000-models';
import { AudioAnalysis1764000006000 } from './1764000006000-audio-analysis';
import { Events1764000007000 } from './1764000007000-events';
import { Webhooks1764000008000 } from './1764000008000-webhooks';
import { RevokedReason1764000009000 } from './1764000009000-revoked-reason';
import { UsageBatches1764000010000 } from './1764000010000-usage-batches';

/** Every migration, in order. The app runs pending ones at start-up; the CLI uses the same list. */
export const MIGRATIONS = [
  Foundation1764000000000,
  ApiKeys1764000001000,
  Tracks1764000002000,
  Usage1764000003000,
  Playlists1764000004000,
  Models1764000005000,
  AudioAnalysis1764000006000,
  Events1764000007000,
  Webhooks1764000008000,
  RevokedReason1764000009000,
  UsageBatches1764000010000,
];
