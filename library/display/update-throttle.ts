/**
 * Paces the updates of a live output: a run streams tokens, a session reports events, much
 * faster than a front end needs to redraw. `request()` sends at once when the interval has
 * passed since the last send, and otherwise once at its end; `flush()` sends now.
 */
export class UpdateThrottle {
  readonly #send: () => void;
  readonly #intervalMs: number;
  readonly #unref: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The output was just shown: that counts as the first send. */
  #last = performance.now();

  /** `unref`: a pending send does not keep the process alive (a script may end before it). */
  constructor(send: () => void, intervalMs: number, options: { unref?: boolean } = {}) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#unref = options.unref ?? false;
  }

  /** Send now, or at the end of the interval if one was sent too recently. */
  request(): void {
    if (this.#timer) return;
    const wait = this.#intervalMs - (performance.now() - this.#last);
    if (wait <= 0) return this.flush();
    this.#timer = setTimeout(() => this.flush(), wait);
    if (this.#unref) this.#timer.unref?.();
  }

  /** Send now; a pending send is dropped. */
  flush(): void {
    this.cancel();
    this.#last = performance.now();
    this.#send();
  }

  /** Drop a pending send. */
  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
