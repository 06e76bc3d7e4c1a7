/**
 * The `file` source: reads the file (or every file of the folder, in name order) at `path` +
 * DATASOURCE, emits its records, then either ends (`interval` 0: eKuiper's bounded read, what
 * a scan table needs) or reads everything again every `interval`.
 *
 * Props (eKuiper's `etc/sources/file.yaml`): `fileType` json | lines | csv (default json),
 * `path` (folder, relative to Weir's home, default `data`), `interval`, `sendInterval` (pause
 * between rows), `ignoreStartLines`, `ignoreEndLines` (blank lines neither count nor stay),
 * `actionAfterRead` 0 keep | 1 delete | 2 move to `moveTo`, and for csv `hasHeader`,
 * `columns`, `delimiter` (default `,`); `decompression: gzip`. Without header or columns, csv
 * columns are named after the stream's declared columns, else `cols0`, `cols1`... as eKuiper.
 * Meta: `file` (the path read).
 *
 * The source reads at its own pace: when the stream buffer is full it waits for room instead
 * of having rows dropped, so a large file is read completely whatever the rule's speed.
 *
 * Files are streamed (64 KiB at a time), except `json` files, which are parsed whole.
 *
 * Differences: `parallel` is accepted and ignored (files are read one after the other);
 * `zstd` decompression is not supported.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Source, SourceContext, SourceSpec } from "../../types.ts";
import { errorMessage } from "../../../errors.ts";
import { type FileSourceSettings, fileSourceSettings } from "./settings.ts";
import { type FileRecord, RecordDecoder } from "./records.ts";
import { LineFilter, readLineBatches } from "./lines.ts";
import type { Row } from "../../../runtime/tuple.ts";

/** How long to wait before checking again for room in a full stream buffer. */
const FULL_BUFFER_WAIT_MS = 2;

class FileSource implements Source {
  #s: FileSourceSettings;
  #closed = false;
  #loop: Promise<void> | undefined;
  /** Ends the current pause early (on close). */
  #wake: (() => void) | undefined;

  constructor(s: FileSourceSettings) {
    this.#s = s;
  }

  async open(ctx: SourceContext): Promise<void> {
    if (this.#s.moveTo) await mkdir(this.#s.moveTo, { recursive: true });
    ctx.setConnectionStatus("connected");
    this.#loop = this.#run(ctx);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#loop;
  }

  #pause(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #run(ctx: SourceContext): Promise<void> {
    for (;;) {
      try {
        await this.#readAll(ctx);
      } catch (e) {
        ctx.reportError(`file source: ${errorMessage(e)}`);
      }
      if (this.#closed) return;
      if (this.#s.interval === 0) {
        ctx.end?.();
        return;
      }
      await this.#pause(this.#s.interval);
      if (this.#closed) return;
    }
  }

  async #readAll(ctx: SourceContext): Promise<void> {
    const target = this.#s.target;
    let info;
    try {
      info = await stat(target);
    } catch {
      ctx.reportError(`file source: ${target} does not exist`);
      return;
    }
    if (!info.isDirectory()) {
      await this.#readOne(ctx, target);
      return;
    }
    const names = (await readdir(target, { withFileTypes: true }))
      .filter((d) => d.isFile())
      .map((d) => d.name)
      .sort();
    for (const name of names) {
      if (this.#closed) return;
      await this.#readOne(ctx, join(target, name));
    }
  }

  async #readOne(ctx: SourceContext, file: string): Promise<void> {
    const s = this.#s;
    const meta = { file };
    const filter = new LineFilter(s.ignoreStartLines, s.ignoreEndLines);
    const decoder = new RecordDecoder(s);
    const kept: string[] = [];
    const records: FileRecord[] = [];
    const errors: string[] = [];
    try {
      for await (const batch of readLineBatches(file, s.decompression === "gzip")) {
        kept.length = 0;
        filter.push(batch, kept);
        decoder.push(kept, records, errors);
        if (!await this.#emitAll(ctx, file, meta, records, errors)) return;
      }
      decoder.finish(records, errors);
    } catch (e) {
      ctx.reportError(`file source: cannot read ${file}: ${errorMessage(e)}`);
      return;
    }
    if (!await this.#emitAll(ctx, file, meta, records, errors)) return;
    await this.#afterRead(ctx, file);
  }

  /** Emits and clears `records` (waiting for room, pacing by `sendInterval`) and reports and
   * clears `errors`. False when the source closed before all were sent. */
  async #emitAll(
    ctx: SourceContext,
    file: string,
    meta: Row,
    records: FileRecord[],
    errors: string[],
  ): Promise<boolean> {
    for (const err of errors) ctx.reportError(`file source: ${file} ${err}`);
    errors.length = 0;
    const sendInterval = this.#s.sendInterval;
    for (const rec of records) {
      while (ctx.canEmit && !ctx.canEmit()) {
        if (this.#closed) return false;
        await this.#pause(FULL_BUFFER_WAIT_MS);
      }
      if (this.#closed) return false; // not fully sent: the file stays where it is
      ctx.emit({ row: rec.row, payload: rec.payload, meta, timestamp: Date.now() });
      if (sendInterval > 0) await this.#pause(sendInterval);
    }
    records.length = 0;
    return !this.#closed;
  }

  async #afterRead(ctx: SourceContext, file: string): Promise<void> {
    const s = this.#s;
    try {
      if (s.actionAfterRead === 1) await rm(file);
      else if (s.actionAfterRead === 2) await rename(file, join(s.moveTo!, basename(file)));
    } catch (e) {
      ctx.reportError(`file source: action after reading ${file} failed: ${errorMessage(e)}`);
    }
  }
}

export const fileSource: SourceSpec = {
  type: "file",
  payload: "bytes",
  pull: true,
  validate(props) {
    const s = fileSourceSettings(props);
    if (!existsSync(s.target)) throw new Error(`file source: ${s.target} does not exist`);
  },
  create(props) {
    return new FileSource(fileSourceSettings(props));
  },
};
