/**
 * What the browser tests need from mocha (which web-test-runner provides as globals) and a few
 * assertions that read like node:assert.
 */
type Body = () => void | Promise<void>;
const g = globalThis as unknown as { describe(name: string, body: () => void): void; it(name: string, body: Body): void };

export const describe = (name: string, body: () => void): void => g.describe(name, body);
export const it = (name: string, body: Body): void => g.it(name, body);

function fail(message: string): never {
  throw new Error(message);
}

interface Assertions {
  ok(value: unknown, message?: string): asserts value;
  equal<T>(actual: T, expected: T, message?: string): void;
  match(text: string | null | undefined, pattern: RegExp, message?: string): void;
  doesNotMatch(text: string, pattern: RegExp, message?: string): void;
  deepEqual(actual: unknown, expected: unknown, message?: string): void;
}

export const assert: Assertions = {
  ok(value: unknown, message = `expected a truthy value, got ${String(value)}`): asserts value {
    if (!value) fail(message);
  },
  equal<T>(actual: T, expected: T, message?: string): void {
    if (actual !== expected) fail(message ?? `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  },
  match(text: string | null | undefined, pattern: RegExp, message?: string): void {
    if (text == null || !pattern.test(text)) fail(message ?? `expected ${JSON.stringify(text)} to match ${pattern}`);
  },
  doesNotMatch(text: string, pattern: RegExp, message?: string): void {
    if (pattern.test(text)) fail(message ?? `expected ${JSON.stringify(text)} not to match ${pattern}`);
  },
  deepEqual(actual: unknown, expected: unknown, message?: string): void {
    const a = JSON.stringify(actual);
    const b = JSON.stringify(expected);
    if (a !== b) fail(message ?? `expected ${b}, got ${a}`);
  },
};

/** Put an element in the document, wait for Lit to render it, return it. */
export async function mount<T extends HTMLElement>(element: T): Promise<T> {
  document.body.append(element);
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

/** Wait for a Lit element (and its children) to finish rendering. */
export async function settled(element: Element): Promise<void> {
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}

/** Wait until `predicate` holds, or fail after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
