/**
 * Every piece of HTML that comes from a kernel, a model or a tool passes through here before
 * it touches the DOM: no scripts, no event handlers, no javascript: URLs, no frames or forms.
 */
import DOMPurify from "dompurify";

const FORBID_TAGS = ["script", "iframe", "frame", "frameset", "object", "embed", "form", "base", "meta", "link", "input", "button", "textarea", "select"];

let hooked = false;
function ensureHooks(): void {
  if (hooked) return;
  hooked = true;
  // Links open in a new tab and cannot reach back into the notebook.
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A" && node.getAttribute("href")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });
}

/** Sanitised HTML as a string, safe to assign to innerHTML. */
export function sanitizeHtml(html: string): string {
  ensureHooks();
  return DOMPurify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR: ["srcdoc", "formaction", "xlink:href", "ping"],
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|data:image\/(?:png|jpe?g|gif|webp);|#|\/|\.{0,2}\/|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  }) as string;
}

/** Sanitised HTML as a fragment, for appending to a node. */
export function sanitizedFragment(html: string): DocumentFragment {
  const template = document.createElement("template");
  template.innerHTML = sanitizeHtml(html);
  return template.content;
}
