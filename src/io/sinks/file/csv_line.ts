/**
 * CSV lines for the file sink: values in column order, quoted when they hold the delimiter, a
 * quote or a line break; null and missing values empty; objects and arrays as JSON.
 *
 * @module
 */
import type { Row } from "../../../runtime/tuple.ts";

function cell(v: unknown, delimiter: string): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  if (s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r")) {
    return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

export function csvLine(row: Row, columns: string[], delimiter: string): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += delimiter;
    line += cell(row[columns[i]], delimiter);
  }
  return line;
}

export function csvHeader(columns: string[], delimiter: string): string {
  return columns.map((c) => cell(c, delimiter)).join(delimiter);
}
