/**
 * How kernel messages travel on the `/api/kernels/<id>/channels` WebSocket (the ZeroMQ side is
 * kernel/protocol/wire.ts). Two framings, as Jupyter Server offers them:
 *
 * - `v1.kernel.websocket.jupyter.org` (chosen when the client offers it): one binary frame,
 *   a little-endian uint64 count n, n uint64 offsets, then channel, header, parent header,
 *   metadata, content and the buffers.
 * - the default (no subprotocol): a JSON text frame with a `channel` field, or, when the message
 *   carries buffers, a binary frame: a big-endian uint32 count n, n uint32 offsets, the JSON, the buffers.
 */
import type { Channel, JupyterMessage } from "../../../kernel/protocol/messages.ts";

/** The subprotocol of the binary v1 framing. */
export const V1_PROTOCOL = "v1.kernel.websocket.jupyter.org";

function bufferOf(view: Uint8Array): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Encode a message (with its `channel`) for the WebSocket in `protocol` ("" is the default framing). */
export function encodeWebSocketMessage(message: JupyterMessage, protocol = ""): string | Buffer {
  const buffers = (message.buffers ?? []).map(bufferOf);
  if (protocol === V1_PROTOCOL) {
    const parts = [
      Buffer.from(message.channel ?? "shell"),
      Buffer.from(JSON.stringify(message.header)),
      Buffer.from(JSON.stringify(message.parent_header ?? {})),
      Buffer.from(JSON.stringify(message.metadata ?? {})),
      Buffer.from(JSON.stringify(message.content ?? {})),
      ...buffers,
    ];
    const count = parts.length + 1;
    const head = Buffer.alloc(8 * (count + 1));
    head.writeBigUInt64LE(BigInt(count), 0);
    let offset = head.length;
    parts.forEach((part, index) => {
      head.writeBigUInt64LE(BigInt(offset), 8 * (index + 1));
      offset += part.length;
    });
    head.writeBigUInt64LE(BigInt(offset), 8 * count);
    return Buffer.concat([head, ...parts]);
  }
  const { buffers: _dropped, ...rest } = message;
  const json = JSON.stringify(rest);
  if (buffers.length === 0) return json;
  const parts = [Buffer.from(json, "utf8"), ...buffers];
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
export function decodeWebSocketMessage(data: Buffer | string, isBinary: boolean, protocol = ""): JupyterMessage {
  if (!isBinary) return checkMessage(JSON.parse(data.toString()));
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (protocol === V1_PROTOCOL) {
    const count = Number(bytes.readBigUInt64LE(0));
    if (count < 6 || 8 * (count + 1) > bytes.length) throw new Error("v1 kernel message has a bad offset count");
    const offsets = Array.from({ length: count }, (_, index) => Number(bytes.readBigUInt64LE(8 * (index + 1))));
    const part = (index: number) => bytes.subarray(offsets[index]!, offsets[index + 1]!);
    const json = (index: number) => JSON.parse(part(index).toString("utf8"));
    return checkMessage({
      channel: part(0).toString("utf8") as Channel,
      header: json(1),
      parent_header: json(2),
      metadata: json(3),
      content: json(4),
      buffers: offsets.slice(5, -1).map((_, index) => new Uint8Array(part(index + 5))),
    });
  }
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
