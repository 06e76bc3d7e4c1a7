/**
 * Turns a file's lines into what the source emits, per `fileType`: `lines` gives one payload
 * per non-blank line, decoded later by the stream FORMAT (JSON lines or any other line
 * format); `csv` gives rows (quoted fields may span lines); `json` (an array of objects) gives
 * rows once the whole file is in. Values are converted to the stream's declared columns, if
 * any; a record they do not fit is an error for that record only.
 *
 * @module
 */
import type { Row } from "../../../runtime/tuple.ts";
import { applySchema } from "../../../formats/schema.ts";
import type { FileSourceSettings } from "./settings.ts";
import { parseCsv } from "./csv.ts";

/** One record of a file: a row, or a payload for the stream's decoder. */
export type FileRecord = { row: Row; payload?: undefined } | {
  payload: Uint8Array;
  row?: undefined;
};

const encoder = new TextEncoder();

function stripCr(l: string): string {
  return l.endsWith("\r") ? l.slice(0, -1) : l;
}

function countQuotes(l: string): number {
  let n = 0;
  for (let i = l.indexOf('"'); i !== -1; i = l.indexOf('"', i + 1)) n++;
  return n;
}

/** Fed the kept lines of one file in batches; appends records and per-record errors. */
export class RecordDecoder {
  #n = 0;
  /** json: the lines so far. */
  #json: string[] = [];
  /** csv: the start of a record whose quoted field runs over more lines. */
  #pending = "";
  #openQuotes = false;
  #columns: string[] | undefined;
  #headerRead = false;

  constructor(private readonly s: FileSourceSettings) {
    this.#columns = s.columns;
  }

  push(lines: string[], out: FileRecord[], errors: string[]): void {
    switch (this.s.fileType) {
      case "lines":
        for (const line of lines) {
          const l = stripCr(line);
          if (l.trim() !== "") out.push({ payload: encoder.encode(l) });
        }
        return;
      case "json":
        for (const l of lines) this.#json.push(l);
        return;
      case "csv":
        for (const line of lines) this.#csvLine(stripCr(line), out, errors);
        return;
    }
  }

  /** After the last batch. Throws when the file as a whole is malformed. */
  finish(out: FileRecord[], errors: string[]): void {
    if (this.s.fileType === "json") this.#jsonRows(this.#json.join("\n"), out, errors);
    if (this.s.fileType === "csv") {
      if (this.#openQuotes) throw new Error("unterminated quoted field at the end of the file");
      if (this.s.hasHeader && !this.#headerRead) throw new Error("csv header not found");
    }
  }

  #typed(row: Row, out: FileRecord[], errors: string[]): void {
    const at = ++this.#n;
    if (!this.s.schema) {
      out.push({ row });
      return;
    }
    try {
      out.push({ row: applySchema(row, this.s.schema) });
    } catch (e) {
      errors.push(`record ${at}: ${(e as Error).message}`);
    }
  }

  #jsonRows(body: string, out: FileRecord[], errors: string[]): void {
    if (body.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      throw new Error(`invalid JSON: ${(e as Error).message}`);
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        errors.push(`record ${++this.#n}: expected a JSON object, got ${JSON.stringify(v)}`);
      } else {
        this.#typed(v as Row, out, errors);
      }
    }
  }

  #csvLine(l: string, out: FileRecord[], errors: string[]): void {
    if (!this.#openQuotes && l.trim() === "") return;
    const text = this.#openQuotes ? this.#pending + "\n" + l : l;
    // An odd number of quotes so far: the record goes on on the next line.
    if ((countQuotes(l) % 2 === 1) !== this.#openQuotes) {
      this.#pending = text;
      this.#openQuotes = true;
      return;
    }
    this.#pending = "";
    this.#openQuotes = false;
    for (const fields of parseCsv(text, this.s.delimiter)) {
      if (this.s.hasHeader && !this.#headerRead) {
        this.#columns = fields;
        this.#headerRead = true;
        continue;
      }
      const cols = this.#columns;
      const row: Row = {};
      if (cols) {
        const n = Math.min(cols.length, fields.length);
        for (let c = 0; c < n; c++) row[cols[c]] = fields[c];
      } else {
        // eKuiper's names for a csv without header or columns.
        for (let c = 0; c < fields.length; c++) row[`cols${c}`] = fields[c];
      }
      this.#typed(row, out, errors);
    }
  }
}
