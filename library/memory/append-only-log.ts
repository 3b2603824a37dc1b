import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";

/**
 * A file of checksummed records, only ever appended to. Each record is
 * `[u32 payload length][u32 CRC-32 of payload][payload]` (little-endian), written with one
 * `write` call. A process killed mid-write leaves at most one torn record at the end; `open`
 * finds the last record whose length and checksum hold, cuts the file there, and returns the
 * good ones. Nothing before the torn tail is ever rewritten in place: `rewrite` builds a new
 * file next to it, fsyncs it and renames it over the old one.
 */
export class AppendOnlyLog {
  readonly path: string;
  #fd: number;
  #size: number;
  readonly #fsyncEachAppend: boolean;

  private constructor(path: string, fd: number, size: number, fsyncEachAppend: boolean) {
    this.path = path;
    this.#fd = fd;
    this.#size = size;
    this.#fsyncEachAppend = fsyncEachAppend;
  }

  /** Bytes in the file. */
  get size(): number {
    return this.#size;
  }

  /**
   * Open (or create) the log at `path` and read its records. `truncatedBytes` says how many
   * bytes of a torn tail were cut off (0 after a clean shutdown).
   */
  static open(path: string, options: { fsyncEachAppend?: boolean } = {}): { log: AppendOnlyLog; records: Buffer[]; truncatedBytes: number } {
    // A rewrite that died before its rename left a partial copy; the log itself is intact.
    rmSync(`${path}.tmp`, { force: true });
    const data = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const records: Buffer[] = [];
    let offset = 0;
    while (offset + 8 <= data.length) {
      const length = data.readUInt32LE(offset);
      const checksum = data.readUInt32LE(offset + 4);
      const end = offset + 8 + length;
      if (end > data.length) break;
      const payload = data.subarray(offset + 8, end);
      if (crc32(payload) !== checksum) break;
      records.push(payload);
      offset = end;
    }
    const fd = openSync(path, existsSync(path) ? "r+" : "w+");
    if (offset < data.length) {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
    }
    return { log: new AppendOnlyLog(path, fd, offset, options.fsyncEachAppend ?? false), records, truncatedBytes: data.length - offset };
  }

  /** The bytes of one record. */
  static encode(payload: Uint8Array): Buffer {
    const record = Buffer.allocUnsafe(8 + payload.length);
    record.writeUInt32LE(payload.length, 0);
    record.writeUInt32LE(crc32(payload), 4);
    record.set(payload, 8);
    return record;
  }

  /** Append one record; once this returns, the record survives the process being killed. */
  append(payload: Uint8Array): void {
    this.#checkOpen();
    const record = AppendOnlyLog.encode(payload);
    let written = 0;
    while (written < record.length) written += writeSync(this.#fd, record, written, record.length - written, this.#size + written);
    this.#size += record.length;
    if (this.#fsyncEachAppend) fsyncSync(this.#fd);
  }

  /** Flush to disk (survives a power cut, not only a killed process). */
  sync(): void {
    this.#checkOpen();
    fsyncSync(this.#fd);
  }

  /**
   * Replace the whole log by `payloads`, atomically: write `<path>.tmp`, fsync, rename over the
   * log, fsync the folder. A crash at any point leaves either the old log or the new one.
   */
  rewrite(payloads: Iterable<Uint8Array>): void {
    this.#checkOpen();
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, "w");
    let size = 0;
    try {
      for (const payload of payloads) {
        const record = AppendOnlyLog.encode(payload);
        let written = 0;
        while (written < record.length) written += writeSync(fd, record, written, record.length - written, size + written);
        size += record.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    syncFolder(dirname(this.path));
    closeSync(this.#fd);
    this.#fd = openSync(this.path, "r+");
    this.#size = size;
  }

  /** Flush and close the file. */
  close(): void {
    if (this.#fd < 0) return;
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #checkOpen(): void {
    if (this.#fd < 0) throw new Error(`The log ${this.path} is closed.`);
  }
}

/** fsync a folder so a rename in it is durable (a no-op where folders cannot be opened). */
export function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
