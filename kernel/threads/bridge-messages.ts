/**
 * Messages between the kernel's threads. The main thread runs cells (the notebook's state lives
 * there); the protocol thread owns the ZeroMQ sockets; the compiler thread owns TypeScript.
 */
import type { CompiledCell } from "../evaluator/cell-runner.ts";
import type { ErrorContent, MimeBundle } from "../protocol/messages.ts";

/** Protocol thread -> main thread. */
export type ToRuntime =
  | {
      kind: "run";
      cell: CompiledCell;
      /** No execute_result for silent requests. */
      silent: boolean;
      /** Whether the front end answers input requests. */
      allowStdin: boolean;
      /** Expressions to evaluate after the cell (execute_request.user_expressions). */
      userExpressions: Record<string, string>;
    }
  | { kind: "input_reply"; value: string }
  | { kind: "exit"; code: number };

/** The outcome of a run, as the protocol thread reports it. */
export type RunReport =
  | { status: "ok"; result?: { data: MimeBundle; metadata: Record<string, unknown> }; userExpressions: Record<string, unknown> }
  | { status: "error"; error: ErrorContent };

/** Main thread -> protocol thread. */
export type FromRuntime =
  | { kind: "stream"; name: "stdout" | "stderr"; text: string }
  | { kind: "iopub"; msgType: "display_data" | "update_display_data" | "clear_output"; content: Record<string, unknown> }
  | { kind: "input_request"; prompt: string; password: boolean }
  | { kind: "done"; report: RunReport }
  /** SIGINT arrived while no cell code ran (the cell may still be compiling). */
  | { kind: "interrupt_requested" }
  /** The process is about to exit: close the sockets, then set `signal[0]` to 1 and notify. */
  | { kind: "closing"; signal: SharedArrayBuffer };
