/** An error that becomes an HTTP response: a status and a message that tells the caller what to fix. */
export class HttpError extends Error {
  /** HTTP status code sent to the client. */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "HttpError";
    this.status = status;
  }
}
