/** A list answer as the API sends it. */
export interface PageBody<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * One page of a list (`data`, `total`, `limit`, `offset`, as the API answers). Iterating it with
 * `for await` walks every item of this page and of the pages after it, fetching them as needed.
 */
export class Page<T> implements PageBody<T>, AsyncIterable<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
  readonly #fetchPage: (offset: number) => Promise<Page<T>>;

  constructor(body: PageBody<T>, fetchPage: (offset: number) => Promise<Page<T>>) {
    this.data = body.data;
    this.total = body.total;
    this.limit = body.limit;
    this.offset = body.offset;
    this.#fetchPage = fetchPage;
  }

  hasNextPage(): boolean {
    return this.data.length > 0 && this.offset + this.data.length < this.total;
  }

  /** The page after this one (same filters and limit). */
  getNextPage(): Promise<Page<T>> {
    return this.#fetchPage(this.offset + this.data.length);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this page
    let page: Page<T> = this;
    for (;;) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }

  toJSON(): PageBody<T> {
    return { data: this.data, total: this.total, limit: this.limit, offset: this.offset };
  }
}
