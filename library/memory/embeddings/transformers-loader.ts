import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { UserError } from "../../errors.ts";

type Transformers = typeof import("@huggingface/transformers");

/** Where and how transformers.js finds a model. */
export interface TransformersModelSource {
  /** A local folder (config.json, tokenizer.json, onnx/model.onnx) or a Hugging Face hub id such as "Xenova/all-MiniLM-L6-v2". */
  model: string;
  /** Allow downloading a hub id (default true; a local folder never downloads). */
  allowRemote?: boolean;
  /** Folder for downloaded models (default: transformers.js's own cache). */
  cacheDir?: string;
  /** Weights to load: "fp32" (model.onnx, the default), "q8" (model_quantized.onnx), ... */
  dtype?: "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "bnb4" | "q4f16";
}

let transformers: Promise<Transformers> | undefined;
/** transformers.js loads onnxruntime; import it only when a model is first used. */
export function importTransformers(): Promise<Transformers> {
  transformers ??= import("@huggingface/transformers");
  return transformers;
}

// transformers.js reads where to look from its global `env`; loads take turns so that two
// models from different folders cannot see each other's settings.
let queue: Promise<unknown> = Promise.resolve();

/** True when `model` names an existing folder rather than a hub id. */
export function isLocalModelFolder(model: string): boolean {
  return existsSync(model) && statSync(model).isDirectory();
}

/**
 * Run `load(id, options)` with transformers.js pointed at the model: a local folder offline,
 * or the hub when allowed. Errors say which and what to do.
 */
export function loadTransformersModel<T>(
  source: TransformersModelSource,
  what: string,
  load: (lib: Transformers, id: string, options: { local_files_only: boolean; dtype: string; cache_dir?: string; device: "cpu" }) => Promise<T>,
): Promise<T> {
  const run = async (): Promise<T> => {
    const lib = await importTransformers();
    const local = isLocalModelFolder(source.model);
    const saved = { localModelPath: lib.env.localModelPath, allowRemoteModels: lib.env.allowRemoteModels, allowLocalModels: lib.env.allowLocalModels };
    const folder = resolve(source.model);
    try {
      if (local) {
        lib.env.localModelPath = `${dirname(folder)}/`;
        lib.env.allowLocalModels = true;
        lib.env.allowRemoteModels = false;
      } else {
        if (source.allowRemote === false)
          throw new UserError(
            `${what}: "${source.model}" is not a folder and allowRemote is false. Pass the folder that holds config.json, tokenizer.json and onnx/model.onnx.`,
          );
        lib.env.allowRemoteModels = true;
      }
      const id = local ? basename(folder) : source.model;
      return await load(lib, id, {
        local_files_only: local,
        dtype: source.dtype ?? "fp32",
        device: "cpu",
        ...(source.cacheDir ? { cache_dir: source.cacheDir } : {}),
      });
    } catch (error) {
      if (error instanceof UserError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(
        local
          ? `${what}: could not load the model in ${folder}: ${reason}. The folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (onnx/model_quantized.onnx for dtype "q8").`
          : `${what}: could not load "${source.model}" from the Hugging Face hub: ${reason}. Without network access, download the model's folder elsewhere and pass its path as model.`,
        { cause: error },
      );
    } finally {
      Object.assign(lib.env, saved);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
