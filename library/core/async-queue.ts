import type { CancellationToken } from "./cancellation-token.ts";

/**
 * An unbounded first-in first-out queue whose `get` waits for an item. A cancelled `get`
 * leaves the queue untouched, so the next item is not lost to a reader that gave up.
 */
export class AsyncQueue<T> {
  #items: T[] = [];
  #readers: Array<(item: T) => void> = [];

  /** Items waiting to be read. */
  get size(): number {
    return this.#items.length;
  }

  /** Add an item; a waiting reader gets it at once. */
  put(item: T): void {
    const reader = this.#readers.shift();
    if (reader) reader(item);
    else this.#items.push(item);
  }

  /** The next item, waiting for one if the queue is empty; rejects with CancelledError if `cancellationToken` is cancelled first. */
  get(cancellationToken?: CancellationToken): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift()!);
    cancellationToken?.throwIfCancelled();
    return new Promise<T>((resolve, reject) => {
      const reader = (item: T) => {
        removeCallback?.();
        resolve(item);
      };
      const removeCallback = cancellationToken?.addCallback(() => {
        const index = this.#readers.indexOf(reader);
        if (index >= 0) this.#readers.splice(index, 1);
        reject(cancellationToken.signal.reason);
      });
      this.#readers.push(reader);
    });
  }

  /** Drop every waiting item. */
  clear(): void {
    this.#items = [];
  }
}
