/**
 * The Jupyter messaging protocol (5.3), written down as types before any code uses it.
 * Shared by the kernel, the notebook server's bridge and the tests' clients.
 */

export const PROTOCOL_VERSION = "5.3";

/** Which socket a message travels on. */
export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO-8601 with time zone. */
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded Jupyter message. `parent_header` is `{}` when there is no parent. */
export interface JupyterMessage<C = Record<string, unknown>> {
  header: MessageHeader;
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers?: Uint8Array[];
  /** Set by the WebSocket protocol; the ZeroMQ protocol conveys it by socket. */
  channel?: Channel;
}

/** A MIME bundle: MIME type -> data (strings, or JSON for JSON types). */
export type MimeBundle = Record<string, unknown>;

/** Connection file written by the launcher (jupyter_client's format). */
export interface ConnectionInfo {
  ip: string;
  transport: "tcp" | "ipc";
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256" | string;
  kernel_name?: string;
}

// ---- shell / control requests and replies ---------------------------------------------------

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export type ReplyStatus = "ok" | "error" | "aborted";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ExecuteReply =
  | { status: "ok"; execution_count: number; user_expressions: Record<string, unknown>; payload: unknown[] }
  | ({ status: "error"; execution_count: number } & ErrorContent)
  | { status: "aborted"; execution_count: number | null };

export interface CompleteRequest {
  code: string;
  cursor_pos: number;
}
export interface CompleteReply {
  status: "ok";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level: 0 | 1;
}
export interface InspectReply {
  status: "ok";
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface IsCompleteRequest {
  code: string;
}
export interface IsCompleteReply {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

export interface KernelInfoReply {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    codemirror_mode?: string | Record<string, unknown>;
    pygments_lexer?: string;
  };
  banner: string;
  help_links?: Array<{ text: string; url: string }>;
}

export interface ShutdownRequest {
  restart: boolean;
}

export interface InterruptReply {
  status: "ok";
}

// ---- iopub ------------------------------------------------------------------------------------

export interface StatusContent {
  execution_state: "busy" | "idle" | "starting";
}
export interface StreamContent {
  name: "stdout" | "stderr";
  text: string;
}
export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}
export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}
export interface ClearOutputContent {
  wait: boolean;
}

// ---- stdin ------------------------------------------------------------------------------------

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}
export interface InputReplyContent {
  value: string;
}

// ---- kernelspec -------------------------------------------------------------------------------

/** kernel.json as Jupyter reads it. */
export interface KernelSpecFile {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}
