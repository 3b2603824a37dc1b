/**
 * The five ZeroMQ sockets of a Jupyter kernel, bound from a connection file, with signed sends
 * and checked receives. Messages with a bad signature are dropped here.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import type { ConnectionInfo, JupyterMessage, MessageHeader } from "./messages.ts";
import { decodeFrames, encodeFrames, newHeader, WireError } from "./wire.ts";

/** A received request: who sent it (routing identities) and what. */
export interface Incoming {
  identities: Buffer[];
  message: JupyterMessage;
}

/** One send at a time per socket: zeromq refuses concurrent sends on a socket. */
class SendQueue {
  #tail: Promise<void> = Promise.resolve();
  constructor(readonly socket: zmq.Writable & zmq.Socket) {}
  send(frames: Buffer[]): Promise<void> {
    const next = this.#tail.then(() => (this.socket.closed ? undefined : this.socket.send(frames)));
    this.#tail = next.catch(() => {});
    return next;
  }
  drained(): Promise<void> {
    return this.#tail;
  }
}

function address(connection: ConnectionInfo, port: number): string {
  return connection.transport === "ipc" ? `ipc://${connection.ip}-${port}` : `tcp://${connection.ip}:${port}`;
}

/** The bound sockets of one kernel. */
export class KernelSockets {
  /** This kernel's session id (header.session of what it sends). */
  readonly session = randomUUID();
  readonly #key: string;
  readonly #connection: ConnectionInfo;
  readonly shell = new zmq.Router();
  readonly control = new zmq.Router();
  readonly stdin = new zmq.Router();
  readonly iopub = new zmq.Publisher();
  readonly #heartbeat = new zmq.Reply();
  readonly #queues = new Map<zmq.Socket, SendQueue>();
  /** Called with a description of each dropped message (bad signature, malformed). */
  onDropped: (reason: string) => void = () => {};

  constructor(connection: ConnectionInfo) {
    if (connection.signature_scheme && connection.signature_scheme !== "hmac-sha256")
      throw new Error(`Unsupported signature_scheme ${connection.signature_scheme}; agentbook signs with hmac-sha256.`);
    this.#connection = connection;
    this.#key = connection.key ?? "";
    for (const socket of [this.shell, this.control, this.stdin, this.iopub]) {
      socket.linger = 0;
      this.#queues.set(socket, new SendQueue(socket));
    }
    this.#heartbeat.linger = 0;
  }

  /** Bind every socket to its port. */
  async bind(): Promise<void> {
    const c = this.#connection;
    await Promise.all([
      this.shell.bind(address(c, c.shell_port)),
      this.control.bind(address(c, c.control_port)),
      this.stdin.bind(address(c, c.stdin_port)),
      this.iopub.bind(address(c, c.iopub_port)),
      this.#heartbeat.bind(address(c, c.hb_port)),
    ]);
    void this.#echoHeartbeats();
  }

  async #echoHeartbeats(): Promise<void> {
    try {
      for await (const frames of this.#heartbeat) await this.#heartbeat.send(frames);
    } catch {
      // Closed.
    }
  }

  /** Decoded, signature-checked messages from a router socket (shell, control or stdin). */
  async *receive(socket: zmq.Router): AsyncGenerator<Incoming> {
    try {
      for await (const frames of socket) {
        try {
          yield decodeFrames(frames, this.#key);
        } catch (error) {
          if (error instanceof WireError) this.onDropped(error.message);
          else throw error;
        }
      }
    } catch (error) {
      if (!socket.closed) throw error;
    }
  }

  /** Build a message of `msgType` answering `parent`. */
  message(msgType: string, content: object, parent?: MessageHeader | Record<string, never>, metadata: Record<string, unknown> = {}): JupyterMessage {
    return { header: newHeader(msgType, this.session, "kernel"), parent_header: parent ?? {}, metadata, content: content as Record<string, unknown> };
  }

  /** Reply on a router socket to the peer identified by `identities`. */
  reply(socket: zmq.Router, identities: Buffer[], message: JupyterMessage): Promise<void> {
    return this.#queues.get(socket)!.send(encodeFrames(message, this.#key, identities));
  }

  /** Publish on iopub. */
  publish(message: JupyterMessage): Promise<void> {
    const topic = Buffer.from(`kernel.${this.session}.${message.header.msg_type}`);
    return this.#queues.get(this.iopub)!.send(encodeFrames(message, this.#key, [topic]));
  }

  #closing: Promise<void> | undefined;

  /** Wait for queued sends, then close every socket (once). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.race([Promise.all([...this.#queues.values()].map((queue) => queue.drained())), new Promise((resolve) => setTimeout(resolve, 500))]);
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.#heartbeat]) socket.close();
  }
}
