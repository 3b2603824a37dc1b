/**
 * How kernel messages travel on the `/api/kernels/<id>/channels` WebSocket in Jupyter's
 * default protocol: a JSON text frame with a `channel` field, or, when the message carries
 * binary buffers, one binary frame: a count n, n big-endian uint32 offsets, the JSON, the buffers.
 * (The ZeroMQ side is kernel/protocol/wire.ts.)
 */
import type { JupyterMessage } from "../../../kernel/protocol/messages.ts";

/** Encode a message (with its `channel`) for the WebSocket. */
export function encodeWebSocketMessage(message: JupyterMessage): string | Buffer {
  const buffers = message.buffers ?? [];
  const { buffers: _dropped, ...rest } = message;
  const json = JSON.stringify(rest);
  if (buffers.length === 0) return json;
  const parts = [Buffer.from(json, "utf8"), ...buffers.map((buffer) => Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength))];
  const head = Buffer.alloc(4 * (parts.length + 1));
  head.writeUInt32BE(parts.length, 0);
  let offset = head.length;
  parts.forEach((part, index) => {
    head.writeUInt32BE(offset, 4 * (index + 1));
    offset += part.length;
  });
  return Buffer.concat([head, ...parts]);
}

/** Decode a WebSocket frame into a message; throws with the reason when it is malformed. */
export function decodeWebSocketMessage(data: Buffer | string, isBinary: boolean): JupyterMessage {
  if (!isBinary) return checkMessage(JSON.parse(data.toString()));
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const count = bytes.readUInt32BE(0);
  if (count < 1 || 4 * (count + 1) > bytes.length) throw new Error("binary kernel message has a bad buffer count");
  const offsets = Array.from({ length: count }, (_, index) => bytes.readUInt32BE(4 * (index + 1)));
  const end = (index: number) => (index + 1 < count ? offsets[index + 1]! : bytes.length);
  const message = checkMessage(JSON.parse(bytes.subarray(offsets[0]!, end(0)).toString("utf8")));
  message.buffers = offsets.slice(1).map((start, index) => new Uint8Array(bytes.subarray(start, end(index + 1))));
  return message;
}

function checkMessage(value: unknown): JupyterMessage {
  const message = value as Partial<JupyterMessage>;
  if (!message || typeof message !== "object" || !message.header || typeof message.header.msg_type !== "string")
    throw new Error("kernel message has no header.msg_type");
  return { parent_header: {}, metadata: {}, content: {}, ...message } as JupyterMessage;
}
