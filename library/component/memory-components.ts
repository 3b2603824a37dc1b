import { z } from "zod";
import { ListMemory } from "../memory/list-memory.ts";
import type { MemoryContent } from "../memory/memory-content.ts";
import { defineComponent } from "./component-definition.ts";

const memoryContentSchema = z.strictObject({
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
  mimeType: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const listMemoryComponent = defineComponent({
  provider: "agentbook.ListMemory",
  componentType: "memory",
  componentVersion: 1,
  label: "ListMemory",
  description: "A list of items, all of which go into the model's context, oldest first.",
  classes: [ListMemory],
  configSchema: z.strictObject({ name: z.string().min(1), memoryContents: z.array(memoryContentSchema) }),
  dump(memory: ListMemory, context) {
    const memoryContents = memory.contents.map((item, index) => {
      if (item.content instanceof Uint8Array)
        throw context.error(
          `memoryContents[${index}]`,
          "holds bytes, which a ListMemory dump cannot carry; " +
            "store them as base64 text in the item, or keep them in a memory that dumps by name (an embedded vector memory, for example).",
        );
      return item as z.infer<typeof memoryContentSchema>;
    });
    return { name: memory.name, memoryContents };
  },
  load: (config) => new ListMemory({ name: config.name, memoryContents: config.memoryContents as MemoryContent[] }),
});

/** The memories agentbook can dump by value (others are recorded by name). */
export const memoryComponents = [listMemoryComponent];
