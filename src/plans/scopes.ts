/**
 * The scope catalogue of the guide ("Available Scopes"). Which plan grants which scope is data:
 * the `plans.scopes` column, seeded by the foundation migration and read through PlansService.
 */
export const SCOPES = [
  'read:tracks',
  'write:tracks',
  'delete:tracks',
  'read:recommendations',
  'read:playlists',
  'write:playlists',
  'delete:playlists',
  'read:audio_features',
  'write:audio_features',
  'train:models',
  'read:analytics',
  'admin:webhooks',
  'admin:billing',
] as const;

export type Scope = (typeof SCOPES)[number];
