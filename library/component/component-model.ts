import { z } from "zod";

/** Version of the component envelope (the fields around `config`) this agentbook writes and reads. */
export const COMPONENT_SPEC_VERSION = 1;

/** The kinds of component; a place that expects one kind (an agent's `modelClient`) refuses another. */
export type ComponentType =
  | "model"
  | "agent"
  | "team"
  | "termination"
  | "tool"
  | "chat_completion_context"
  | "memory"
  | "code_executor"
  | "cache_store";

/**
 * A component declared as plain JSON, in the shape of AutoGen's ComponentModel: which class
 * (`provider`), what kind it is, the versions of the envelope and of the config, a description
 * and label for people and tools, and the class's `config`. `dumpComponent` writes one and
 * `loadComponent` builds the object back.
 *
 * ```json
 * { "provider": "agentbook.MaxMessageTermination", "component_type": "termination", "version": 1,
 *   "component_version": 1, "description": "...", "label": "MaxMessageTermination",
 *   "config": { "maxMessages": 10, "includeAgentEvent": false } }
 * ```
 */
export interface ComponentModel<Config = Record<string, unknown>> {
  /** The class to build, for example "agentbook.AssistantAgent". */
  provider: string;
  /** What kind of component it is; optional when writing JSON by hand (the provider knows). */
  component_type?: ComponentType;
  /** Version of the envelope (COMPONENT_SPEC_VERSION); optional when writing JSON by hand. */
  version?: number;
  /** Version of this provider's config; optional when writing JSON by hand (the current one is assumed). */
  component_version?: number;
  /** What the component is, for people and tools reading the JSON. */
  description?: string | null;
  /** A short display name. */
  label?: string | null;
  /** The class's options, as plain JSON. */
  config: Config;
  /** What a dump had to leave out (an unnamed function, a secret header) and how to put it back; ignored by loading. */
  notes?: string[];
}

/** The envelope as zod checks it; `config` is checked by the provider's own schema. */
export const componentModelSchema = z.strictObject({
  provider: z.string().min(1, "provider must name a class, for example \"agentbook.AssistantAgent\""),
  component_type: z.string().nullish(),
  version: z.number().int().min(1).nullish(),
  component_version: z.number().int().min(1).nullish(),
  description: z.string().nullish(),
  label: z.string().nullish(),
  config: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()).optional(),
});
