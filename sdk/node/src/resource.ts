import type { HttpClient } from './core.js';

/** Base of a resource: a group of routes under one path, sharing the client's request core. */
export abstract class Resource {
  constructor(protected readonly client: HttpClient) {}
}

/** `/tracks/{id}` from a template and its ids, each percent-encoded. */
export function path(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i]) : ''), '');
}
