import type * as Monaco from "monaco-editor";

type MonacoApi = typeof Monaco;

/** Window event fired once Monaco has loaded. */
export const MONACO_LOADED = "agentbook-monaco-loaded";
let loading: Promise<MonacoApi> | undefined;
let loaded: MonacoApi | undefined;

/** Monaco once it is loaded, else undefined (cells show plain code until then). */
export function monacoIfLoaded(): MonacoApi | undefined {
  return loaded;
}

/**
 * Load the Monaco bundle (and its stylesheet) the first time an editor is needed; the notebook
 * paints before it arrives.
 */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= (async () => {
    if (!document.querySelector('link[data-monaco-css]')) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = "/static/monaco.css";
      link.dataset.monacoCss = "";
      document.head.append(link);
    }
    const url = "/static/monaco.js";
    const module = (await import(/* @vite-ignore */ url)) as { monaco: MonacoApi };
    loaded = module.monaco;
    // Code shown before Monaco arrived can now be highlighted.
    window.dispatchEvent(new Event(MONACO_LOADED));
    return loaded;
  })();
  return loading;
}
