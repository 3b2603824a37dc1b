/**
 * Routes what cells print (process.stdout / process.stderr, hence console.log and console.error)
 * to the notebook as `stream` output, in order with display outputs.
 */

/** Replace the write methods of stdout and stderr; returns a function that restores them. */
export function captureOutput(onText: (name: "stdout" | "stderr", text: string) => void): () => void {
  const streams = [
    ["stdout", process.stdout],
    ["stderr", process.stderr],
  ] as const;
  const originals = streams.map(([, stream]) => stream.write);
  for (const [name, stream] of streams) {
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text =
        typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      onText(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
  return () => {
    streams.forEach(([, stream], index) => {
      stream.write = originals[index]!;
    });
  };
}
