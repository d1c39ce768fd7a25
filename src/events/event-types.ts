/** Every event type the service raises (the contract's catalogue). */
export const EVENT_TYPES = [
  'api_key.created',
  'api_key.updated',
  'api_key.rotated',
  'api_key.revoked',
  'api_key.deleted',
  'api_key.expiring',
  'api_key.expired',
  'api_key.exposed',
  'rate_limit.exceeded',
  'usage.threshold',
  'plan.changed',
  'webhook.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ACTOR_TYPES = ['user', 'admin', 'system', 'api_key'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who caused an event: a user (JWT), an admin (operator route), the service itself, or an API key. */
export interface Actor {
  type: ActorType;
  /** The user's or key's id; `null` for the system. */
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/** An event about to be recorded. */
export interface NewEvent {
  userId: string;
  type: EventType;
  data: Record<string, unknown>;
  actor: Actor;
  /** Client address of the request that caused it, if one did. */
  ip?: string | null;
}

/** Who caused a change and from where: what the change's event records. */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
}

/** A change the service makes by itself (tests and start-up tasks call services without a request). */
export const SYSTEM_CONTEXT: RequestContext = { actor: SYSTEM_ACTOR, ip: null };
