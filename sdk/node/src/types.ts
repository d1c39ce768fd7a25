// Request and response types read from the generated OpenAPI types by path and method, so a route's
// types follow the service without naming its DTO classes.
import type { paths } from './generated/openapi.js';

type Operation<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;

/** The query parameters a route takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The JSON body of a route's success answer (200, 201 or 202). */
export type ResultOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer S } | { 201: infer S } | { 202: infer S }
      ? Json<S>
      : never
    : never;

/** One item of a list route's `data`. */
export type ItemOf<P extends keyof paths, M extends keyof paths[P]> =
  ResultOf<P, M> extends { data: (infer T)[] } ? T : never;

export type Track = ItemOf<'/tracks', 'get'>;
export type CreateTrackParams = BodyOf<'/tracks', 'post'>;
export type UpdateTrackParams = BodyOf<'/tracks/{id}', 'patch'>;
export type ListTracksParams = QueryOf<'/tracks', 'get'>;
export type AudioFeatures = ResultOf<'/tracks/{id}/audio-features', 'get'>;
export type SetAudioFeaturesParams = BodyOf<'/tracks/{id}/audio-features', 'put'>;
export type RecommendationsParams = QueryOf<'/recommendations', 'get'>;
export type Recommendations = ResultOf<'/recommendations', 'get'>;
export type AccountUsageParams = QueryOf<'/analytics/usage', 'get'>;
export type AccountUsage = ResultOf<'/analytics/usage', 'get'>;
export type Whoami = ResultOf<'/whoami', 'get'>;
export type PlaylistSummary = ItemOf<'/playlists', 'get'>;
export type Playlist = ResultOf<'/playlists/{id}', 'get'>;
export type ListPlaylistsParams = QueryOf<'/playlists', 'get'>;
export type CreatePlaylistParams = BodyOf<'/playlists', 'post'>;
export type UpdatePlaylistParams = BodyOf<'/playlists/{id}', 'patch'>;
export type AddPlaylistTracksParams = BodyOf<'/playlists/{id}/tracks', 'post'>;
export type ModelJob = ResultOf<'/models/{id}', 'get'>;
export type ListModelsParams = QueryOf<'/models', 'get'>;
export type TrainModelParams = BodyOf<'/models/train', 'post'>;

export type RegisterParams = BodyOf<'/auth/register', 'post'>;
export type RegisterResult = ResultOf<'/auth/register', 'post'>;
export type LoginParams = BodyOf<'/auth/login', 'post'>;
export type AccessToken = ResultOf<'/auth/login', 'post'>;
export type User = ResultOf<'/auth/me', 'get'>;
export type Plan = ResultOf<'/plans', 'get'> extends (infer T)[] ? T : never;

export type ApiKey = ItemOf<'/api-keys', 'get'>;
export type CreatedApiKey = ResultOf<'/api-keys', 'post'>;
export type RotatedApiKey = ResultOf<'/api-keys/{id}/rotate', 'post'>;
export type CreateApiKeyParams = BodyOf<'/api-keys', 'post'>;
export type Scope = CreateApiKeyParams['scopes'][number];
export type UpdateApiKeyParams = BodyOf<'/api-keys/{id}', 'patch'>;
export type RotateApiKeyParams = BodyOf<'/api-keys/{id}/rotate', 'post'>;
export type ListApiKeysParams = QueryOf<'/api-keys', 'get'>;
export type KeyUsageParams = QueryOf<'/api-keys/{id}/usage', 'get'>;
export type KeyUsage = ResultOf<'/api-keys/{id}/usage', 'get'>;

export type Webhook = ItemOf<'/webhooks', 'get'>;
export type CreatedWebhook = ResultOf<'/webhooks', 'post'>;
export type CreateWebhookParams = BodyOf<'/webhooks', 'post'>;
export type UpdateWebhookParams = BodyOf<'/webhooks/{id}', 'patch'>;
export type ListWebhooksParams = QueryOf<'/webhooks', 'get'>;
export type WebhookTest = ResultOf<'/webhooks/{id}/test', 'post'>;
export type WebhookDelivery = ItemOf<'/webhooks/{id}/deliveries', 'get'>;
export type ListWebhookDeliveriesParams = QueryOf<'/webhooks/{id}/deliveries', 'get'>;
export type Billing = ResultOf<'/billing', 'get'>;
export type BillingParams = QueryOf<'/billing', 'get'>;
