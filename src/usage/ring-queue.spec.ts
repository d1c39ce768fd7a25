import { RingQueue } from './ring-queue';

describe(RingQueue.name, () => {
  it('keeps items in order across the wrap-around', () => {
    const queue = new RingQueue<number>(3);
    [1, 2, 3].forEach((n) => queue.push(n));
    expect(queue.shift(2)).toEqual([1, 2]);
    [4, 5].forEach((n) => queue.push(n));
    expect(queue.size).toBe(3);
    expect(queue.shift(10)).toEqual([3, 4, 5]);
    expect(queue.size).toBe(0);
  });

  it('drops the oldest item when full and says so', () => {
    const queue = new RingQueue<number>(2);
    expect(queue.push(1)).toBe(0);
    expect(queue.push(2)).toBe(0);
    expect(queue.push(3)).toBe(1);
    expect(queue.shift(2)).toEqual([2, 3]);
  });
});
