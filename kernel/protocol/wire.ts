import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { JupyterMessage, MessageHeader } from "./messages.ts";
import { PROTOCOL_VERSION } from "./messages.ts";

/** Separates routing identities from the signed message parts on ZeroMQ. */
export const DELIMITER = "<IDS|MSG>";

/** HMAC-SHA256 of the four signed parts, hex; empty when there is no key (signing disabled). */
export function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (!key) return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** A new header for a message of `msgType` in `session`. */
export function newHeader(msgType: string, session: string, username = "agentbook"): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Encode a message into ZeroMQ frames: identities, delimiter, signature, header, parent, metadata, content, buffers. */
export function encodeFrames(message: JupyterMessage, key: string, identities: readonly Buffer[] = []): Buffer[] {
  const parts = [
    JSON.stringify(message.header),
    JSON.stringify(message.parent_header ?? {}),
    JSON.stringify(message.metadata ?? {}),
    JSON.stringify(message.content ?? {}),
  ];
  return [
    ...identities,
    Buffer.from(DELIMITER),
    Buffer.from(sign(key, parts)),
    ...parts.map((part) => Buffer.from(part)),
    ...(message.buffers ?? []).map((buffer) => Buffer.from(buffer)),
  ];
}

/** Why a frame list was rejected. */
export class WireError extends Error {}

/**
 * Decode ZeroMQ frames. Throws WireError on a missing delimiter, malformed JSON or a bad
 * signature (the caller drops such messages, as the protocol requires).
 */
export function decodeFrames(frames: readonly Buffer[], key: string): { identities: Buffer[]; message: JupyterMessage } {
  const at = frames.findIndex((frame) => frame.toString() === DELIMITER);
  if (at < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError("too few frames");
  const signature = frames[at + 1]!.toString();
  const signed = frames.slice(at + 2, at + 6);
  if (key) {
    const expected = Buffer.from(sign(key, signed));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new WireError("bad signature");
  }
  let header, parent, metadata, content;
  try {
    [header, parent, metadata, content] = signed.map((part) => JSON.parse(part.toString()));
  } catch (error) {
    throw new WireError(`malformed JSON: ${(error as Error).message}`);
  }
  return {
    identities: frames.slice(0, at).map((frame) => Buffer.from(frame)),
    message: { header, parent_header: parent, metadata, content, buffers: frames.slice(at + 6).map((b) => new Uint8Array(b)) },
  };
}
