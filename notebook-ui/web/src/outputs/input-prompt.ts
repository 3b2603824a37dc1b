import { html, LitElement } from "lit";
import type { InputRequest } from "../model/cell-model.ts";

/**
 * The box an `input()` call opens under its cell (how a human answers a UserProxyAgent).
 * Enter sends the answer to the kernel on stdin.
 */
export class InputPrompt extends LitElement {
  static properties = { request: { attribute: false } };
  declare request: InputRequest;

  createRenderRoot() {
    return this;
  }

  firstUpdated(): void {
    this.querySelector("input")?.focus({ preventScroll: false });
  }

  #submit(event: Event): void {
    event.preventDefault();
    const input = this.querySelector("input")!;
    this.request.submit(input.value);
  }

  render() {
    return html`<form class="ab-input-prompt" @submit=${this.#submit} @keydown=${(event: KeyboardEvent) => event.stopPropagation()}>
      <label>
        <span class="ab-input-label">${this.request.prompt || "Input:"}</span>
        <input type=${this.request.password ? "password" : "text"} autocomplete="off" spellcheck="false" aria-label=${this.request.prompt || "input"} />
      </label>
      <button type="submit">Send</button>
    </form>`;
  }
}
customElements.define("ab-input-prompt", InputPrompt);
