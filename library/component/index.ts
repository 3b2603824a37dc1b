export * from "./component-model.ts";
export * from "./component-definition.ts";
export { componentDefinition, componentDefinitionFor, registerComponent, registeredProviders } from "./component-registry.ts";
export type { ComponentReferences } from "./component-references.ts";
export * from "./tool-registry.ts";
export * from "./dump-component.ts";
export * from "./load-component.ts";
