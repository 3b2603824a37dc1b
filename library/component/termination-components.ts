import { z } from "zod";
import { ExternalTermination } from "../conditions/external-termination.ts";
import { FunctionCallTermination } from "../conditions/function-call-termination.ts";
import { HandoffTermination } from "../conditions/handoff-termination.ts";
import { MaxMessageTermination } from "../conditions/max-message-termination.ts";
import { SourceMatchTermination } from "../conditions/source-match-termination.ts";
import { StopMessageTermination } from "../conditions/stop-message-termination.ts";
import {
  AndTerminationCondition,
  OrTerminationCondition,
  type TerminationCondition,
} from "../conditions/termination-condition.ts";
import { TextMentionTermination } from "../conditions/text-mention-termination.ts";
import { TimeoutTermination } from "../conditions/timeout-termination.ts";
import { TokenUsageTermination } from "../conditions/token-usage-termination.ts";
import { defineComponent, type DumpContext, type LoadContext } from "./component-definition.ts";
import type { ComponentModel } from "./component-model.ts";
import { nestedComponentSchema } from "./config-schemas.ts";

const common = { componentType: "termination" as const, componentVersion: 1 };

export const maxMessageTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.MaxMessageTermination",
  label: "MaxMessageTermination",
  description: "Stops after a number of messages, the task included.",
  classes: [MaxMessageTermination],
  configSchema: z.strictObject({ maxMessages: z.number().int().min(1), includeAgentEvent: z.boolean().optional() }),
  dump: (condition: MaxMessageTermination) => ({ maxMessages: condition.maxMessages, includeAgentEvent: condition.includeAgentEvent }),
  load: (config) => new MaxMessageTermination(config.maxMessages, { includeAgentEvent: config.includeAgentEvent }),
});

export const textMentionTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.TextMentionTermination",
  label: "TextMentionTermination",
  description: "Stops when a message contains a text.",
  classes: [TextMentionTermination],
  configSchema: z.strictObject({ text: z.string().min(1), sources: z.array(z.string()).optional() }),
  dump: (condition: TextMentionTermination) => ({
    text: condition.text,
    ...(condition.sources ? { sources: [...condition.sources] } : {}),
  }),
  load: (config) => new TextMentionTermination(config.text, { sources: config.sources }),
});

export const stopMessageTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.StopMessageTermination",
  label: "StopMessageTermination",
  description: "Stops when an agent answers with a StopMessage.",
  classes: [StopMessageTermination],
  configSchema: z.strictObject({}),
  dump: () => ({}),
  load: () => new StopMessageTermination(),
});

export const tokenUsageTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.TokenUsageTermination",
  label: "TokenUsageTermination",
  description: "Stops when the tokens the agents' models used reach a limit.",
  classes: [TokenUsageTermination],
  configSchema: z.strictObject({
    maxTotalToken: z.number().min(0).optional(),
    maxPromptToken: z.number().min(0).optional(),
    maxCompletionToken: z.number().min(0).optional(),
  }),
  dump: (condition: TokenUsageTermination) => ({ ...condition.limits }),
  load: (config) => new TokenUsageTermination(config),
});

export const handoffTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.HandoffTermination",
  label: "HandoffTermination",
  description: "Stops when an agent hands off to a target.",
  classes: [HandoffTermination],
  configSchema: z.strictObject({ target: z.string().min(1) }),
  dump: (condition: HandoffTermination) => ({ target: condition.target }),
  load: (config) => new HandoffTermination(config.target),
});

export const timeoutTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.TimeoutTermination",
  label: "TimeoutTermination",
  description: "Stops once a number of seconds have passed.",
  classes: [TimeoutTermination],
  configSchema: z.strictObject({ timeoutSeconds: z.number().positive() }),
  dump: (condition: TimeoutTermination) => ({ timeoutSeconds: condition.timeoutSeconds }),
  load: (config) => new TimeoutTermination(config.timeoutSeconds),
});

export const externalTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.ExternalTermination",
  label: "ExternalTermination",
  description: "Stops when code calls set() on it (find the loaded one through the team's terminationCondition).",
  classes: [ExternalTermination],
  configSchema: z.strictObject({}),
  dump: () => ({}),
  load: () => new ExternalTermination(),
});

export const sourceMatchTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.SourceMatchTermination",
  label: "SourceMatchTermination",
  description: "Stops as soon as one of some agents has spoken.",
  classes: [SourceMatchTermination],
  configSchema: z.strictObject({ sources: z.array(z.string()).min(1) }),
  dump: (condition: SourceMatchTermination) => ({ sources: [...condition.sources] }),
  load: (config) => new SourceMatchTermination(config.sources),
});

export const functionCallTerminationComponent = defineComponent({
  ...common,
  provider: "agentbook.FunctionCallTermination",
  label: "FunctionCallTermination",
  description: "Stops once a tool of a given name has been executed.",
  classes: [FunctionCallTermination],
  configSchema: z.strictObject({ functionName: z.string().min(1) }),
  dump: (condition: FunctionCallTermination) => ({ functionName: condition.functionName }),
  load: (config) => new FunctionCallTermination(config.functionName),
});

const combinedSchema = z.strictObject({ conditions: z.array(nestedComponentSchema).min(1) });

function dumpConditions(combined: { conditions: readonly TerminationCondition[] }, context: DumpContext): { conditions: ComponentModel[] } {
  return { conditions: combined.conditions.map((condition, index) => context.dump(condition, `conditions[${index}]`)) };
}

function loadConditions(config: { conditions: ComponentModel[] }, context: LoadContext): TerminationCondition[] {
  return config.conditions.map((condition, index) => context.load<TerminationCondition>(condition, `conditions[${index}]`, "termination"));
}

export const orTerminationConditionComponent = defineComponent({
  ...common,
  provider: "agentbook.OrTerminationCondition",
  label: "OrTerminationCondition",
  description: "Stops when any of its conditions fires (a.or(b)).",
  classes: [OrTerminationCondition],
  configSchema: combinedSchema,
  dump: dumpConditions,
  load: (config, context) => new OrTerminationCondition(...loadConditions(config, context)),
});

export const andTerminationConditionComponent = defineComponent({
  ...common,
  provider: "agentbook.AndTerminationCondition",
  label: "AndTerminationCondition",
  description: "Stops once all of its conditions have fired (a.and(b)).",
  classes: [AndTerminationCondition],
  configSchema: combinedSchema,
  dump: dumpConditions,
  load: (config, context) => new AndTerminationCondition(...loadConditions(config, context)),
});

/** The termination conditions agentbook can dump and load. */
export const terminationComponents = [
  maxMessageTerminationComponent,
  textMentionTerminationComponent,
  stopMessageTerminationComponent,
  tokenUsageTerminationComponent,
  handoffTerminationComponent,
  timeoutTerminationComponent,
  externalTerminationComponent,
  sourceMatchTerminationComponent,
  functionCallTerminationComponent,
  orTerminationConditionComponent,
  andTerminationConditionComponent,
];
