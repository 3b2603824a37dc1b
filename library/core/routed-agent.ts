import { UserError } from "../errors.ts";
import { BaseAgent } from "./base-agent.ts";
import type { MessageContext } from "./message-context.ts";

/** Which messages a handler takes: a class (matched with `instanceof`) or a `type` tag of plain objects. */
export type MessageSelector<T> = (abstract new (...args: never[]) => T) | string;

/** Options of `RoutedAgent.handle`. */
export interface HandlerOptions<T> {
  /** A further test; the handler only takes messages for which it returns true (checked on arrival). */
  match?: (message: T, context: MessageContext) => boolean;
  /**
   * true (default): the handler runs after this agent's earlier sequential handlers finish, so
   * messages are handled one at a time in arrival order. false: it runs at once, alongside them
   * (for control messages such as pause that must not wait behind a long turn).
   */
  sequential?: boolean;
  /** "rpc" takes only `sendMessage`, "event" only `publishMessage`; both by default. */
  kind?: "rpc" | "event";
}

/** A message handler; its return value is the reply to a `sendMessage`. */
export type MessageHandler<T> = (message: T, context: MessageContext) => unknown;

interface Route {
  selector: MessageSelector<unknown>;
  handler: MessageHandler<unknown>;
  options: HandlerOptions<unknown>;
}

function selects(selector: MessageSelector<unknown>, message: unknown): boolean {
  if (typeof selector === "string")
    return typeof message === "object" && message !== null && (message as { type?: unknown }).type === selector;
  return message instanceof selector;
}

/** A short description of a message for error texts: its class or its type tag. */
export function describeMessage(message: unknown): string {
  if (message === null || message === undefined) return String(message);
  if (typeof message !== "object") return typeof message;
  const tag = (message as { type?: unknown }).type;
  if (typeof tag === "string") return `a "${tag}" message`;
  return `a ${message.constructor?.name ?? "plain object"} message`;
}

/**
 * A core agent that routes each message to a handler chosen by its class or its `type` tag.
 * Register handlers in the constructor:
 *
 * ```ts
 * class Counter extends RoutedAgent {
 *   count = 0;
 *   constructor() {
 *     super("counts");
 *     this.handle<{ type: "Increment"; by: number }>("Increment", (message) => (this.count += message.by));
 *     this.handle(ResetRequest, () => { this.count = 0; });
 *   }
 * }
 * ```
 *
 * Handlers run one at a time per agent (see `HandlerOptions.sequential`), so an agent that
 * awaits `sendMessage` to itself, from a sequential handler, waits for itself forever.
 */
export abstract class RoutedAgent extends BaseAgent {
  #routes: Route[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  /** Route messages chosen by `selector` (and `options.match`) to `handler`. The first matching route wins. */
  protected handle<T>(selector: MessageSelector<T>, handler: MessageHandler<T>, options: HandlerOptions<T> = {}): this {
    if (typeof selector !== "string" && typeof selector !== "function")
      throw new UserError("RoutedAgent.handle needs a message class or a type tag string as its first argument.");
    this.#routes.push({
      selector: selector as MessageSelector<unknown>,
      handler: handler as MessageHandler<unknown>,
      options: options as HandlerOptions<unknown>,
    });
    return this;
  }

  onMessage(message: unknown, context: MessageContext): Promise<unknown> {
    for (const route of this.#routes) {
      if (!selects(route.selector, message)) continue;
      if (route.options.kind === "rpc" && !context.isRpc) continue;
      if (route.options.kind === "event" && context.isRpc) continue;
      if (route.options.match && !route.options.match(message, context)) continue;
      const run = async () => route.handler.call(this, message, context);
      return route.options.sequential === false ? run() : this.runSequentially(run);
    }
    return this.onUnhandledMessage(message, context);
  }

  /** Run `fn` after this agent's earlier sequential work, in call order. */
  protected runSequentially<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Called for a message no route takes: a `sendMessage` is rejected, a published message is ignored. */
  protected async onUnhandledMessage(message: unknown, context: MessageContext): Promise<unknown> {
    if (context.isRpc)
      throw new UserError(
        `${this.constructor.name} (${this.id.toString()}) has no handler for ${describeMessage(message)}; register one with this.handle(...) in its constructor.`,
      );
    return undefined;
  }
}
