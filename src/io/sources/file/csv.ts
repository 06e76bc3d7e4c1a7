/**
 * A small CSV parser for the file source: RFC 4180 quoting (`"a,b"`, `""` for a quote, line
 * breaks inside quotes), any one-character delimiter, leading spaces of a field trimmed (as Go's
 * `TrimLeadingSpace`, which eKuiper uses), `\n` or `\r\n` line ends, blank lines skipped.
 *
 * @module
 */

/** Splits `text` into records of fields. Throws on an unterminated quote. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  let atFieldStart = true;
  while (i < n) {
    const c = text[i];
    if (atFieldStart && (c === " " || c === "\t") && c !== delimiter) {
      i++;
      continue;
    }
    if (atFieldStart && c === '"') {
      // Quoted field: runs to the closing quote; "" is one quote.
      i++;
      for (;;) {
        if (i >= n) throw new Error(`unterminated quoted field in record ${records.length + 1}`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += q;
        i++;
      }
      atFieldStart = false;
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = "";
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      i++;
      record.push(field);
      if (!(record.length === 1 && record[0] === "")) records.push(record);
      record = [];
      field = "";
      atFieldStart = true;
      continue;
    }
    field += c;
    atFieldStart = false;
    i++;
  }
  if (!atFieldStart || field !== "" || record.length > 0) {
    record.push(field);
    if (!(record.length === 1 && record[0] === "")) records.push(record);
  }
  return records;
}
