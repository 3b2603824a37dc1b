/** Registers every class agentbook itself can dump and load (imported once by dump and load). */
import { agentComponents } from "./agent-components.ts";
import type { ComponentDefinition } from "./component-definition.ts";
import { componentDefinition, registerComponent } from "./component-registry.ts";
import { memoryComponents } from "./memory-components.ts";
import { modelClientComponents } from "./model-client-components.ts";
import { modelContextComponents } from "./model-context-components.ts";
import { referenceComponents } from "./reference-components.ts";
import { teamComponents } from "./team-components.ts";
import { terminationComponents } from "./termination-components.ts";

const builtins: ReadonlyArray<ComponentDefinition<never, never>> = [
  ...modelClientComponents,
  ...modelContextComponents,
  ...terminationComponents,
  ...agentComponents,
  ...teamComponents,
  ...memoryComponents,
  ...referenceComponents,
] as unknown as ReadonlyArray<ComponentDefinition<never, never>>;

for (const definition of builtins)
  if (!componentDefinition(definition.provider)) registerComponent(definition as unknown as ComponentDefinition);
