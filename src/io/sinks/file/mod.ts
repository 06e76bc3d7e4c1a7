/**
 * The `file` sink: appends each result to a file, eKuiper's `fileType`s and rolling.
 *
 * Props: `path` (required; relative to Weir's home), `fileType` lines (default: one encoded
 * message per line, so `format` applies) | json (one JSON array holding every row written) |
 * csv (rows as delimited lines, `hasHeader` writes the columns first: `fields`, else the
 * first row's keys sorted, as eKuiper), `delimiter` (`,`), `rollingCount` (messages per file,
 * default 1,000,000), `rollingInterval` (ms, checked every `checkInterval`, default 5 min),
 * `rollingSize` (bytes), `rollingNamePattern` prefix | suffix | none (where the creation time
 * in ms goes: `1700000000000-out.txt`, `out-1700000000000.txt`), `compression` (or 1.x's
 * `compressAlgorithm`) gzip.
 *
 * Writes are buffered (flushed at 64 KiB or 200 ms after the last one) and every file is
 * flushed, closed with its footer and synced when it rolls and when the rule stops, so no
 * result the sink accepted is lost on a rule stop. As in eKuiper, opening a file truncates it:
 * with `rollingNamePattern` none, each roll starts the same file again.
 *
 * `path` may be a template (`{{.device}}.csv`, rendered per result by the sink node): each
 * distinct path gets its own file, rolled on its own.
 *
 * Differences: csv is written from the rows (the `delimited`
 * encoding is not needed, `format` must be delimited or absent); json files take the rows of
 * each message as elements (eKuiper nests each message's array), so the file source reads them
 * back.
 *
 * @module
 */
import { basename, dirname, extname, join } from "node:path";
import type { Row } from "../../../runtime/tuple.ts";
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { errorMessage } from "../../../errors.ts";
import { payloadBytes } from "../payload.ts";
import { resolveHomePath } from "../../home.ts";
import { type FileSinkSettings, fileSinkSettings } from "./settings.ts";
import { type FileLayout, FileWriter } from "./writer.ts";
import { csvHeader, csvLine } from "./csv_line.ts";

const FLUSH_BYTES = 64 * 1024;
const FLUSH_DELAY_MS = 200;

const encoder = new TextEncoder();
const NEWLINE = encoder.encode("\n");
const EMPTY = new Uint8Array(0);

function rowsOf(data: Row | Row[]): Row[] {
  return Array.isArray(data) ? data : [data];
}

/** The inside of a JSON array payload (its elements), or the payload itself. */
function jsonElements(payload: Uint8Array): Uint8Array {
  let start = 0;
  let end = payload.byteLength;
  const ws = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
  while (start < end && ws(payload[start])) start++;
  while (end > start && ws(payload[end - 1])) end--;
  if (payload[start] !== 0x5b || payload[end - 1] !== 0x5d) return payload.subarray(start, end);
  start++;
  end--;
  while (start < end && ws(payload[start])) start++;
  while (end > start && ws(payload[end - 1])) end--;
  return payload.subarray(start, end);
}

class FileSink implements Sink {
  #s: FileSinkSettings;
  #ctx: SinkContext | undefined;
  /** Open files by their (rendered) path: a templated path writes several files at once. */
  #writers = new Map<string, FileWriter>();
  #lastStamp = 0;
  /** Every file operation runs on this chain, one at a time. */
  #chain: Promise<void> = Promise.resolve();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #rollTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(s: FileSinkSettings) {
    this.#s = s;
  }

  connect(ctx: SinkContext): Promise<void> {
    this.#ctx = ctx;
    if (this.#s.rollingInterval > 0) {
      this.#rollTimer = setInterval(() => {
        this.#serial(async () => {
          const now = Date.now();
          for (const [path, w] of [...this.#writers]) {
            if (now - w.openedAt >= this.#s.rollingInterval) await this.#roll(path);
          }
        }).catch((e) => this.#report(e));
      }, this.#s.checkInterval);
    }
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  collect(item: SinkItem): Promise<void> {
    return this.#serial(async () => {
      if (this.#closed) throw new Error("file sink is closed");
      const dynamic = item.props?.path;
      const path = dynamic ? resolveHomePath(dynamic) : this.#s.path;
      let w = this.#writers.get(path);
      if (!w) {
        if (this.#isEmpty(item)) return; // no file for an empty result
        w = await this.#open(path, item);
        this.#writers.set(path, w);
      }
      const body = this.#body(item, w);
      if (body === undefined) return;
      w.writeItem(body);
      const s = this.#s;
      if (
        (s.rollingCount > 0 && w.count >= s.rollingCount) ||
        (s.rollingSize > 0 && w.bytes >= s.rollingSize)
      ) {
        await this.#roll(path);
      } else if (w.buffered >= FLUSH_BYTES) {
        await w.flush();
      } else {
        this.#armFlush();
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#rollTimer);
    clearTimeout(this.#flushTimer);
    await this.#serial(async () => {
      const errors: string[] = [];
      for (const path of [...this.#writers.keys()]) {
        await this.#roll(path).catch((e) => errors.push(`${path}: ${errorMessage(e)}`));
      }
      if (errors.length > 0) throw new Error(`file sink cannot close ${errors.join("; ")}`);
    });
  }

  #serial(op: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(op);
    this.#chain = run.catch(() => {});
    return run;
  }

  #report(e: unknown): void {
    this.#ctx?.logger.error(`file sink: ${errorMessage(e)}`);
  }

  #armFlush(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#serial(async () => {
        for (const w of this.#writers.values()) await w.flush();
      }).catch((e) => this.#report(e));
    }, FLUSH_DELAY_MS);
  }

  /** Closes the file open for `path`; the next item for it opens a new one. */
  async #roll(path: string): Promise<void> {
    const w = this.#writers.get(path);
    this.#writers.delete(path);
    await w?.close();
  }

  #isEmpty(item: SinkItem): boolean {
    return this.#s.fileType !== "lines" && Array.isArray(item.data) && item.data.length === 0;
  }

  /** The bytes one item adds to the file, or undefined when it adds nothing. */
  #body(item: SinkItem, w: FileWriter): Uint8Array | undefined {
    switch (this.#s.fileType) {
      case "lines":
        return payloadBytes(item);
      case "json": {
        const inner = jsonElements(payloadBytes(item));
        return inner.byteLength === 0 ? undefined : inner;
      }
      case "csv": {
        const rows = rowsOf(item.data);
        if (rows.length === 0) return undefined;
        const cols = w.columns!;
        return encoder.encode(rows.map((r) => csvLine(r, cols, this.#s.delimiter)).join("\n"));
      }
    }
  }

  #fileName(path: string): string {
    const pattern = this.#s.rollingNamePattern;
    if (pattern === "" || pattern === "none") return path;
    // Strictly increasing, so that two files rolled in the same millisecond do not collide.
    const stamp = this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 1);
    const dir = dirname(path);
    const base = basename(path);
    if (pattern === "prefix") return join(dir, `${stamp}-${base}`);
    const ext = extname(base);
    return join(dir, `${base.slice(0, base.length - ext.length)}-${stamp}${ext}`);
  }

  async #open(path: string, item: SinkItem): Promise<FileWriter> {
    const s = this.#s;
    let layout: FileLayout;
    let columns: string[] | undefined;
    if (s.fileType === "json") {
      layout = {
        header: encoder.encode("["),
        separator: encoder.encode(","),
        footer: encoder.encode("]"),
      };
    } else if (s.fileType === "csv") {
      const first = rowsOf(item.data)[0] ?? {};
      columns = s.fields ?? Object.keys(first).sort();
      layout = {
        header: s.hasHeader ? encoder.encode(csvHeader(columns, s.delimiter) + "\n") : EMPTY,
        separator: NEWLINE,
        footer: EMPTY,
      };
    } else {
      layout = { header: EMPTY, separator: NEWLINE, footer: EMPTY };
    }
    const w = await FileWriter.open(this.#fileName(path), layout, s.compression === "gzip");
    w.columns = columns;
    return w;
  }
}

export const fileSink: SinkSpec = {
  type: "file",
  payload: "bytes",
  validate(props) {
    fileSinkSettings(props);
  },
  create: (props) => new FileSink(fileSinkSettings(props)),
};
