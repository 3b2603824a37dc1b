/**
 * What goes wrong when talking to an OpenAI-speaking server, turned into agentbook errors that
 * say what to do next, and never carry an API key.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { CancelledError, ModelClientError } from "../errors.ts";
import type { CancellationToken } from "../core/cancellation-token.ts";

/** Who the client talks to, for error messages. */
export interface ProviderContext {
  /** "OpenAI", "Azure OpenAI" or "OpenAI-compatible server". */
  provider: string;
  /** Where requests go (without credentials). */
  baseURL: string;
  /** How the user sets the key, for 401 hints: "OPENAI_API_KEY (or the apiKey option)". */
  keyHint: string;
  /** Model or deployment name. */
  model: string;
  /** Strings that must never appear in a message (the API key). */
  secrets: readonly string[];
}

/** Replace every secret, and anything shaped like an OpenAI key or a bearer JWT, with "***". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("***");
  return out
    .replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, "sk-***")
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "***");
}

/** `url` without user info, query or fragment: safe to print. */
export function displayURL(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}

/** Error codes along the cause chain (ECONNREFUSED, ENOTFOUND...), and the innermost message. */
function causeChain(error: unknown): { codes: string[]; innermost: string } {
  const codes: string[] = [];
  let innermost = error instanceof Error ? error.message : String(error);
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    if (current instanceof Error && current.message) innermost = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return { codes, innermost };
}

/** True when another attempt may succeed: connection failures, timeouts, 408, 409, 429 and 5xx (or whatever `x-should-retry` says). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  const should = error.headers?.get("x-should-retry");
  if (should === "true") return true;
  if (should === "false") return false;
  return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
}

/**
 * How long to wait before retry number `retryIndex` (0-based): what the server asked for in
 * `retry-after-ms` or `Retry-After` (seconds or an HTTP date), else exponential backoff
 * from 0.5 s to 8 s with up to 25 % jitter.
 */
export function retryDelayMs(error: unknown, retryIndex: number): number {
  const headers = error instanceof APIError ? error.headers : undefined;
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = headers?.get("retry-after");
  if (after) {
    const seconds = Number.parseFloat(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return Math.min(500 * 2 ** retryIndex, 8000) * (1 - Math.random() * 0.25);
}

/** Wait `ms`, or reject with CancelledError as soon as `token` is cancelled. */
export function cancellableSleep(ms: number, token?: CancellationToken): Promise<void> {
  if (!token) return new Promise((resolve) => setTimeout(resolve, ms));
  token.throwIfCancelled();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      resolve();
    }, ms);
    const remove = token.addCallback(() => {
      clearTimeout(timer);
      reject(token.signal.reason);
    });
  });
}

/** The server's own error text, from an OpenAI-style error body. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === "string" ? body.message : error.message;
  return text.replace(/^\d{3}\s+/, "");
}

/**
 * Any failure of a request as the error agentbook throws: CancelledError when the caller
 * cancelled, otherwise ModelClientError with the status and a hint; secrets are redacted.
 */
export function toModelClientError(
  error: unknown,
  context: ProviderContext,
  details: { attempts: number; timeoutMs: number; cancellationToken?: CancellationToken },
): Error {
  if (error instanceof CancelledError || error instanceof ModelClientError) return error;
  if (details.cancellationToken?.isCancelled) return details.cancellationToken.signal.reason as CancelledError;
  if (error instanceof APIUserAbortError) return new CancelledError("The model request was aborted.");
  const where = `${context.provider} at ${context.baseURL}`;
  const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : "";
  const redact = (text: string) => redactSecrets(text, context.secrets);
  if (error instanceof APIConnectionTimeoutError)
    return new ModelClientError(
      `The request to ${where} timed out after ${details.timeoutMs} ms${tries}; raise the client's timeout option, or check that the server is responsive.`,
    );
  if (error instanceof APIConnectionError) {
    const { codes, innermost } = causeChain(error);
    if (codes.includes("ECONNREFUSED"))
      return new ModelClientError(`Could not connect to ${where} (connection refused)${tries}: is the server at baseURL running?`);
    if (codes.includes("ENOTFOUND") || codes.includes("EAI_AGAIN"))
      return new ModelClientError(`Could not resolve the host of ${where}${tries}: check baseURL and your network.`);
    return new ModelClientError(
      `Could not reach ${where}${tries} (${redact(codes[0] ?? innermost)}): check baseURL and your network.`,
    );
  }
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const said = redact(serverMessage(error));
    let hint: string;
    if (status === 401) hint = `the API key was rejected: check ${context.keyHint}`;
    else if (status === 403) hint = `the key may not use model "${context.model}": check the key's project and permissions`;
    else if (status === 404) hint = `check the model name "${context.model}" and baseURL`;
    else if (status === 429) hint = `rate limit or quota reached${tries}: wait, send fewer requests, or raise maxRetries`;
    else if (status >= 500) hint = `the server failed${tries}: try again later`;
    else hint = "the request was rejected: check the options and messages sent";
    return new ModelClientError(`${context.provider} answered ${status} (${hint}). Server said: ${said}`, { status });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelClientError(`The request to ${where} failed: ${redact(message)}`);
}
