/** The scopes every plan grants (the guide's Tracks, Recommendations and Playlists). */
export const SCOPES_FROM_FREE = [
  'read:tracks',
  'write:tracks',
  'delete:tracks',
  'read:recommendations',
  'read:playlists',
  'write:playlists',
  'delete:playlists',
] as const;

/** Audio Processing (Starter+). */
export const SCOPES_FROM_STARTER = ['read:audio_features', 'write:audio_features'] as const;

/** ML Models, Analytics and Admin (Pro+). */
export const SCOPES_FROM_PRO = ['train:models', 'read:analytics', 'admin:webhooks', 'admin:billing'] as const;

/**
 * The scope catalogue of the guide ("Available Scopes"). Which plan grants which scope is data: the
 * `plans.scopes` column, seeded from PLAN_CATALOGUE by the foundation migration and read through PlansService.
 */
export const SCOPES = [...SCOPES_FROM_FREE, ...SCOPES_FROM_STARTER, ...SCOPES_FROM_PRO] as const;

export type Scope = (typeof SCOPES)[number];
