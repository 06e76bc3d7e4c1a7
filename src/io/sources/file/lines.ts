/**
 * Reads a file as batches of lines, streaming (a 64 KiB chunk at a time, gunzipped on the fly
 * when asked), so that a large file never sits in memory whole; and {@link LineFilter}, which
 * applies `ignoreStartLines` / `ignoreEndLines` across batches.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { nodeStream, nodeZlib } from "../../../platform/builtin.ts";

const CHUNK_BYTES = 64 * 1024;

/** The file's lines (without their `\n`; a `\r` before it stays), a batch per chunk read.
 * Throws when the file cannot be read or decompressed. */
export async function* readLineBatches(file: string, gzip: boolean): AsyncGenerator<string[]> {
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  // pipeline forwards a read error to the gunzip stream, so the loop below sees it.
  const input = gzip ? nodeStream().pipeline(raw, nodeZlib().createGunzip(), () => {}) : raw;
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for await (const chunk of input) {
      const lines = (rest + decoder.decode(chunk as Uint8Array, { stream: true })).split("\n");
      rest = lines.pop()!;
      if (lines.length > 0) yield lines;
    }
  } finally {
    raw.destroy();
  }
  const last = rest + decoder.decode();
  if (last !== "") yield [last];
}

/**
 * Drops the first `start` and the last `end` lines of a file fed in batches. With either set,
 * blank lines neither count nor stay (eKuiper's rule); with neither, lines pass unchanged.
 */
export class LineFilter {
  #skip: number;
  /** The last `end` lines seen: they leave only once `end` newer ones arrive. */
  #held: string[] = [];

  constructor(start: number, private readonly end: number) {
    this.#skip = start;
  }

  push(lines: string[], out: string[]): void {
    if (this.#skip === 0 && this.end === 0) {
      for (const l of lines) out.push(l);
      return;
    }
    for (const line of lines) {
      const l = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (l.trim() === "") continue;
      if (this.#skip > 0) {
        this.#skip--;
        continue;
      }
      if (this.end === 0) {
        out.push(l);
        continue;
      }
      this.#held.push(l);
      if (this.#held.length > this.end) out.push(this.#held.shift()!);
    }
  }
}
