/**
 * Collects a process's output up to a limit of characters. Past the limit it keeps the
 * beginning and the most recent tail (where errors and tracebacks usually are), and says how
 * much it left out. Memory stays bounded however much the process prints.
 */
export class CappedOutput {
  readonly #limit: number;
  readonly #tailLimit: number;
  #head = "";
  #tail = "";
  #omitted = 0;

  constructor(limit: number) {
    this.#limit = limit;
    this.#tailLimit = Math.min(4096, Math.floor(limit / 4));
  }

  append(text: string): void {
    const headRoom = this.#limit - this.#tailLimit - this.#head.length;
    if (this.#omitted === 0 && this.#tail.length === 0 && text.length <= headRoom) {
      this.#head += text;
      return;
    }
    if (headRoom > 0) {
      this.#head += text.slice(0, headRoom);
      text = text.slice(headRoom);
    }
    const tail = this.#tail + text;
    const overflow = tail.length - this.#tailLimit;
    if (overflow > 0) {
      this.#omitted += overflow;
      this.#tail = tail.slice(overflow);
    } else {
      this.#tail = tail;
    }
  }

  /** The kept output, with a line saying how many characters were left out when any were. */
  toString(): string {
    if (this.#omitted === 0) return this.#head + this.#tail;
    return `${this.#head}\n[... ${this.#omitted} characters of output omitted (limit ${this.#limit}) ...]\n${this.#tail}`;
  }
}
