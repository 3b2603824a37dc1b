/**
 * Errors are typed by who is at fault, so a caller can tell misuse from a model
 * that broke its contract from a run that was cancelled.
 */

/** Base class of every error agentbook throws on purpose. */
export class AgentbookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller used the API wrongly: a bad option, a missing key, an unknown name. */
export class UserError extends AgentbookError {}

/** The model answered something the framework cannot act on (no such tool, not JSON, ...). */
export class ModelBehaviorError extends AgentbookError {}

/** A model provider failed (HTTP error after retries, timeout, refused connection). */
export class ModelClientError extends AgentbookError {
  /** HTTP status when the provider answered with one. */
  readonly status?: number;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.status = options?.status;
  }
}

/** The work was cancelled through a CancellationToken or an AbortSignal. */
export class CancelledError extends AgentbookError {
  constructor(message = "The operation was cancelled.", options?: { cause?: unknown }) {
    super(message, options);
  }
}
