import type { WebSocket } from "ws";
import type { JupyterMessage } from "../../../kernel/protocol/messages.ts";
import { KernelChannels, type KernelProcess } from "./kernel-process.ts";
import { decodeWebSocketMessage, encodeWebSocketMessage } from "./websocket-framing.ts";

/**
 * Joins one `/api/kernels/<id>/channels` WebSocket to a kernel: client messages go out on the
 * client's own shell/control/stdin sockets, replies come back on them, and the kernel's shared
 * iopub stream is copied to every client. A kernel that dies is reported with a `dead` status.
 */
export function bridgeChannels(socket: WebSocket, kernel: KernelProcess): void {
  const send = (message: JupyterMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeWebSocketMessage(message, socket.protocol));
  };
  const channels = new KernelChannels(kernel.connection, (channel, message) => send({ ...message, channel }));
  const onIopub = (message: JupyterMessage) => send({ ...message, channel: "iopub" });
  const onDead = () => send(kernel.deadStatusMessage());
  kernel.on("iopub", onIopub);
  kernel.on("dead", onDead);
  kernel.connections++;
  if (kernel.executionState === "dead") onDead();

  socket.on("message", (data, isBinary) => {
    let message: JupyterMessage;
    try {
      message = decodeWebSocketMessage(data as Buffer, isBinary, socket.protocol);
    } catch {
      return; // Malformed frames are dropped, like bad signatures on ZeroMQ.
    }
    const channel = message.channel ?? "shell";
    void channels.send(channel, message).catch(() => {});
  });
  socket.on("close", () => {
    kernel.off("iopub", onIopub);
    kernel.off("dead", onDead);
    kernel.connections = Math.max(0, kernel.connections - 1);
    channels.close();
  });
}
