import type { OutputModel } from "../model/output-model.ts";
import type { OutputRendererElement, RendererRegistry } from "../renderers/registry.ts";
import "../renderers/error-output.ts";
import "../renderers/text-output.ts";

interface Shown {
  version: number;
  wrapper: HTMLElement;
  renderer: HTMLElement;
  tag: string;
}

/**
 * The outputs of one cell. It keeps one element per output and, when a live display updates,
 * hands the new payload to the same element instead of building a new one, so a streaming
 * transcript keeps its scroll position, open cards and selection.
 */
export class OutputArea extends HTMLElement {
  /** The renderer registry to pick elements from. */
  registry: RendererRegistry | undefined;
  #shown = new Map<number, Shown>();

  /** Show `outputs`, reusing the elements of outputs already shown. */
  sync(outputs: readonly OutputModel[]): void {
    if (!this.registry) throw new Error("OutputArea needs a registry before sync().");
    const keep = new Set(outputs.map((output) => output.key));
    for (const [key, shown] of this.#shown) {
      if (!keep.has(key)) {
        shown.wrapper.remove();
        this.#shown.delete(key);
      }
    }
    let previous: HTMLElement | null = null;
    for (const output of outputs) {
      let shown = this.#shown.get(output.key);
      if (!shown) {
        shown = this.#create(output);
        this.#shown.set(output.key, shown);
      } else if (shown.version !== output.version) {
        this.#refresh(output, shown);
      }
      const expectedPosition: ChildNode | null = previous ? previous.nextSibling : this.firstChild;
      if (expectedPosition !== shown.wrapper) this.insertBefore(shown.wrapper, expectedPosition);
      previous = shown.wrapper;
    }
    this.hidden = outputs.length === 0;
  }

  #element(output: OutputModel): { element: HTMLElement; tag: string } {
    const json = output.json;
    if (json.output_type === "stream") {
      const element = document.createElement("ab-text-output") as OutputRendererElement & { stream: string };
      element.stream = json.name;
      element.data = json.text;
      return { element, tag: "ab-text-output" };
    }
    if (json.output_type === "error") {
      const element = document.createElement("ab-error-output") as OutputRendererElement;
      element.data = json;
      return { element, tag: "ab-error-output" };
    }
    const element = this.registry!.render(json.data, json.metadata);
    return { element, tag: element.localName };
  }

  #create(output: OutputModel): Shown {
    const wrapper = document.createElement("div");
    wrapper.className = "ab-output";
    wrapper.dataset.outputType = output.json.output_type;
    const { element, tag } = this.#element(output);
    wrapper.append(element);
    return { version: output.version, wrapper, renderer: element, tag };
  }

  #refresh(output: OutputModel, shown: Shown): void {
    shown.version = output.version;
    const json = output.json;
    if (json.output_type === "stream") {
      (shown.renderer as OutputRendererElement).data = json.text;
      return;
    }
    if (json.output_type === "display_data" || json.output_type === "execute_result") {
      const mimeType = this.registry!.preferredMimeType(json.data);
      const renderer = shown.renderer as OutputRendererElement;
      if (mimeType && renderer.mimeType === mimeType && this.registry!.entryFor(mimeType)?.tag === shown.tag) {
        renderer.metadata = (json.metadata[mimeType] as Record<string, unknown> | undefined) ?? json.metadata;
        renderer.data = json.data[mimeType];
        return;
      }
    }
    const { element, tag } = this.#element(output);
    shown.renderer.replaceWith(element);
    shown.renderer = element;
    shown.tag = tag;
  }
}
customElements.define("ab-output-area", OutputArea);
