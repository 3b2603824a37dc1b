import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import type { Image } from "../models/types.ts";
import type { GeneratedFile } from "./code-block.ts";

/** Image types a notebook can show, by extension. */
const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Bounds on the scan, so a working directory with a huge tree stays cheap to watch. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 5000;
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "__pycache__", ".venv", "venv"]);

/** Image files of a directory tree: path -> "mtime:size", to compare before and after a run. */
export type ImageSnapshot = Map<string, string>;

/** Record the image files under `root` as they are now. */
export function snapshotImages(root: string): ImageSnapshot {
  const snapshot: ImageSnapshot = new Map();
  let visited = 0;
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++visited > MAX_ENTRIES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_DIRECTORIES.has(entry.name)) walk(path, depth + 1);
      } else if (entry.isFile() && IMAGE_TYPES[extname(entry.name).toLowerCase()]) {
        try {
          const stat = statSync(path);
          snapshot.set(path, `${stat.mtimeMs}:${stat.size}`);
        } catch {
          // Removed while we looked.
        }
      }
    }
  };
  walk(root, 0);
  return snapshot;
}

/** The images under `root` that are new or changed since `before`, sorted by name. */
export function changedImages(root: string, before: ImageSnapshot): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const [path, signature] of snapshotImages(root)) {
    if (before.get(path) === signature) continue;
    files.push({
      path,
      name: relative(root, path).split(sep).join("/"),
      mimeType: IMAGE_TYPES[extname(path).toLowerCase()]!,
    });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A generated image as an `Image` (base64 data and MIME type), to show it in a notebook with
 * `display()` or to pass it to a vision model in a MultiModalMessage.
 */
export function readGeneratedImage(file: GeneratedFile): Image {
  return { type: "image", data: readFileSync(file.path).toString("base64"), mimeType: file.mimeType };
}
