import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A fresh random token (48 hex characters), like Jupyter's. */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    cookies.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  return cookies;
}

/** How a request proved it knows the token. */
export type AuthResult = { ok: true; via: "header" | "query" | "cookie" } | { ok: false };

/**
 * Checks the token on every request: an `Authorization: token <t>` header, a `?token=<t>` query
 * (which the server answers with a cookie so the browser need not keep it in the URL), or that
 * cookie. Cookies are not scoped by port, so the cookie name carries the port.
 */
export class TokenAuth {
  /** The secret every request must carry. */
  readonly token: string;
  #cookieName = "agentbook-token";

  constructor(token: string) {
    this.token = token;
  }

  /** Name the cookie after the port the server listens on. */
  setPort(port: number): void {
    this.#cookieName = `agentbook-token-${port}`;
  }

  /** Whether the request carries the token, and how. */
  check(request: IncomingMessage, url: URL): AuthResult {
    const header = request.headers.authorization;
    if (header) {
      const match = /^(?:token|bearer)\s+(.+)$/i.exec(header.trim());
      if (match && sameSecret(match[1]!, this.token)) return { ok: true, via: "header" };
    }
    const query = url.searchParams.get("token");
    if (query !== null && sameSecret(query, this.token)) return { ok: true, via: "query" };
    const cookie = parseCookies(request.headers.cookie).get(this.#cookieName);
    if (cookie !== undefined && sameSecret(cookie, this.token)) return { ok: true, via: "cookie" };
    return { ok: false };
  }

  /** The Set-Cookie header that lets a browser stay signed in (not readable by scripts, never sent cross-site). */
  cookieHeader(): string {
    return `${this.#cookieName}=${encodeURIComponent(this.token)}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

/**
 * Whether a browser Origin may talk to the server: only pages the server itself served
 * (http://127.0.0.1:<port> or http://localhost:<port>). A missing Origin means a non-browser
 * client, which the token alone authenticates.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
