/**
 * A fixed-capacity FIFO over a circular array: O(1) push and drop-oldest, no per-item allocation
 * beyond the item itself, and never more than `capacity` items held.
 */
export class RingQueue<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends an item; when full, the oldest item makes room. Returns how many were dropped (0 or 1). */
  push(item: T): number {
    let dropped = 0;
    if (this.count === this.capacity) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      dropped = 1;
    }
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return dropped;
  }

  /** Removes and returns up to `max` of the oldest items, oldest first. */
  shift(max: number): T[] {
    const taken = Math.min(max, this.count);
    const items = new Array<T>(taken);
    for (let i = 0; i < taken; i++) {
      items[i] = this.slots[this.head] as T;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= taken;
    return items;
  }
}
