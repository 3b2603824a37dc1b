import { CancelledError } from "../errors.ts";

/**
 * A token passed through every async call so that one `cancel()` stops a whole run:
 * model requests are aborted, tools see it, teams stop between turns.
 */
export class CancellationToken {
  #controller = new AbortController();
  #callbacks = new Set<() => void>();

  /** True once `cancel()` was called. */
  get isCancelled(): boolean {
    return this.#controller.signal.aborted;
  }

  /** An AbortSignal that aborts when the token is cancelled (pass it to fetch, the openai SDK, child processes). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Cancel everything that holds this token. Calling it twice does nothing more. */
  cancel(reason = "cancelled"): void {
    if (this.isCancelled) return;
    this.#controller.abort(new CancelledError(`The operation was ${reason === "cancelled" ? "cancelled" : `cancelled: ${reason}`}.`));
    for (const callback of [...this.#callbacks]) {
      try {
        callback();
      } catch {
        // A failing callback must not keep the others from running.
      }
    }
    this.#callbacks.clear();
  }

  /** Run `callback` when the token is cancelled (at once if it already is). Returns a function that removes it. */
  addCallback(callback: () => void): () => void {
    if (this.isCancelled) {
      callback();
      return () => {};
    }
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  /** Throw a CancelledError if the token is cancelled. */
  throwIfCancelled(): void {
    if (this.isCancelled) throw this.#controller.signal.reason as CancelledError;
  }

  /** Resolve or reject with `promise`, or reject with CancelledError as soon as the token is cancelled. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.isCancelled) return Promise.reject(this.#controller.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const remove = this.addCallback(() => reject(this.#controller.signal.reason));
      promise.then(
        (value) => {
          remove();
          resolve(value);
        },
        (error: unknown) => {
          remove();
          reject(error);
        },
      );
    });
  }

  /** A token cancelled when any of `tokens` (or signals) is. */
  static any(...sources: Array<CancellationToken | AbortSignal | undefined>): CancellationToken {
    const token = new CancellationToken();
    for (const source of sources) {
      if (!source) continue;
      if (source instanceof CancellationToken) source.addCallback(() => token.cancel());
      else if (source.aborted) token.cancel();
      else source.addEventListener("abort", () => token.cancel(), { once: true });
    }
    return token;
  }
}
