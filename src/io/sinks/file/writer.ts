/**
 * One open output file of the file sink: its header, the separator between items and its
 * footer (`[` `,` `]` for json, the header line and `\n` for csv, `\n` for lines), buffered
 * writes and optional gzip. Calls must not overlap (the sink serialises them).
 *
 * @module
 */
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { FileHandle } from "node:fs/promises";

export interface FileLayout {
  header: Uint8Array;
  separator: Uint8Array;
  footer: Uint8Array;
}

export class FileWriter {
  readonly openedAt = Date.now();
  /** Items written. */
  count = 0;
  /** Bytes written (before compression). */
  bytes = 0;
  /** csv: the columns of this file, in order. */
  columns: string[] | undefined;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #wroteItem = false;
  #gzip: WritableStreamDefaultWriter<BufferSource> | undefined;
  #pump: Promise<void> | undefined;

  private constructor(
    readonly name: string,
    private readonly fh: FileHandle,
    private readonly layout: FileLayout,
  ) {}

  /** Creates (or truncates, as eKuiper does) the file and starts it with the header. */
  static async open(name: string, layout: FileLayout, gzip: boolean): Promise<FileWriter> {
    await mkdir(dirname(name), { recursive: true });
    const fh = await open(name, "w");
    const w = new FileWriter(name, fh, layout);
    if (gzip) {
      const cs = new CompressionStream("gzip");
      w.#gzip = cs.writable.getWriter();
      w.#pump = (async () => {
        for await (const chunk of cs.readable) await fh.write(chunk);
      })();
    }
    w.#append(layout.header);
    return w;
  }

  /** Bytes waiting in memory. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Appends one item (and the separator before it). */
  writeItem(body: Uint8Array): void {
    if (this.#wroteItem) this.#append(this.layout.separator);
    this.#wroteItem = true;
    this.#append(body);
    this.count++;
  }

  #append(b: Uint8Array): void {
    if (b.byteLength === 0) return;
    this.#chunks.push(b);
    this.#buffered += b.byteLength;
    this.bytes += b.byteLength;
  }

  async flush(): Promise<void> {
    if (this.#buffered === 0) return;
    const all = new Uint8Array(this.#buffered);
    let at = 0;
    for (const c of this.#chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    this.#chunks = [];
    this.#buffered = 0;
    if (this.#gzip) await this.#gzip.write(all);
    else await this.fh.write(all);
  }

  /** Writes the footer, flushes, syncs and closes. */
  async close(): Promise<void> {
    try {
      this.#append(this.layout.footer);
      await this.flush();
      if (this.#gzip) {
        await this.#gzip.close();
        await this.#pump;
      }
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
  }
}
