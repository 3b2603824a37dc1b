import { UserError } from "../errors.ts";
import type { Tool } from "../tools/tool.ts";

function isTool(value: unknown): value is Tool {
  return typeof value === "object" && value !== null && typeof (value as Tool).runJson === "function" && typeof (value as Tool).name === "string";
}

/**
 * Tools by name, for `loadComponent`: a component refers to a tool by its name and the tool
 * itself comes from here, so loading JSON never creates code.
 *
 * ```ts
 * const tools = new ToolRegistry([weatherTool, searchTool]);
 * const agent = loadComponent(json, { tools });
 * ```
 */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  /** Start with `tools`: a list, or a record whose keys are the tools' names. */
  constructor(tools: Iterable<Tool> | Readonly<Record<string, Tool>> = []) {
    if (Symbol.iterator in Object(tools)) for (const tool of tools as Iterable<Tool>) this.register(tool);
    else
      for (const [key, tool] of Object.entries(tools as Record<string, Tool>)) {
        if (isTool(tool) && tool.name !== key)
          throw new UserError(
            `The tool registered as "${key}" is named "${tool.name}"; components refer to tools by their own name, so register it as "${tool.name}".`,
          );
        this.register(tool);
      }
  }

  /** Add a tool; a different tool with the same name is refused. */
  register(tool: Tool): this {
    if (!isTool(tool))
      throw new UserError("ToolRegistry takes Tools (for example new FunctionTool(fn, { name, description })); got something else.");
    const known = this.#tools.get(tool.name);
    if (known && known !== tool) throw new UserError(`Two different tools are named "${tool.name}"; tool names must be unique in a registry.`);
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** Whether a tool is registered under `name`. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** The tool named `name`; throws a UserError listing the registered names when there is none. */
  get(name: string): Tool {
    const tool = this.#tools.get(name);
    if (tool) return tool;
    throw new UserError(
      `No tool named "${name}" is registered (registered: ${this.names.join(", ") || "none"}). ` +
        `Pass it when loading: loadComponent(json, { tools: [${name}Tool] }) or a ToolRegistry.`,
    );
  }

  /** The registered names, sorted. */
  get names(): string[] {
    return [...this.#tools.keys()].sort();
  }
}
