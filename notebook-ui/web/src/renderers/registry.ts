/**
 * The renderer registry: which element renders which MIME type, and which MIME type of a
 * bundle wins. agentbook's own types come first, then the rich web types, then plain text.
 * `application/javascript` is never rendered: outputs do not run code in the page.
 */

/** An element that renders one MIME payload. */
export interface OutputRendererElement extends HTMLElement {
  /** The payload (a string for text types, JSON for JSON types). */
  data: unknown;
  /** The MIME type being rendered. */
  mimeType: string;
  /** The output's metadata (image sizes, ...). */
  metadata: Record<string, unknown>;
}

/** One registered renderer. */
export interface RendererEntry {
  /** MIME types it renders. */
  mimeTypes: string[];
  /** Custom element tag that renders them. */
  tag: string;
  /** Lower wins when a bundle has several types. */
  rank: number;
}

/** Maps MIME types to renderer elements. */
export class RendererRegistry {
  #entries: RendererEntry[] = [];

  /** Add a renderer; a later one with a lower rank takes precedence for its types. */
  register(entry: RendererEntry): void {
    this.#entries.push(entry);
    this.#entries.sort((a, b) => a.rank - b.rank);
  }

  /** The renderer entry for a MIME type, if any. */
  entryFor(mimeType: string): RendererEntry | undefined {
    return this.#entries.find((entry) => entry.mimeTypes.includes(mimeType));
  }

  /** The MIME type of `bundle` that renders best, or undefined when none can be rendered. */
  preferredMimeType(bundle: Record<string, unknown>): string | undefined {
    for (const entry of this.#entries) {
      for (const mimeType of entry.mimeTypes) if (mimeType in bundle && bundle[mimeType] != null) return mimeType;
    }
    return undefined;
  }

  /** An element rendering the best MIME type of `bundle` (a plain-text note when none fits). */
  render(bundle: Record<string, unknown>, metadata: Record<string, unknown> = {}): HTMLElement {
    const mimeType = this.preferredMimeType(bundle);
    if (!mimeType) {
      const note = document.createElement("div");
      note.className = "ab-unrenderable";
      note.textContent = `No renderer for ${Object.keys(bundle).join(", ") || "an empty bundle"}.`;
      return note;
    }
    const element = document.createElement(this.entryFor(mimeType)!.tag) as OutputRendererElement;
    element.mimeType = mimeType;
    element.metadata = (metadata[mimeType] as Record<string, unknown> | undefined) ?? metadata;
    element.data = bundle[mimeType];
    return element;
  }
}
