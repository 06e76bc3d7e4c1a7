/**
 * The golden corpus format (`grammar/testdata/*.sql`): statements separated by lines of `====`.
 * Lines starting with `#` at the top of a block are notes, not SQL; a note `# ERROR` marks a
 * statement that must be rejected (every other one must parse), so that regenerating the
 * goldens cannot silently turn a rejection into an acceptance or the reverse.
 *
 * @module
 */

/** One statement of a corpus file. */
export interface CorpusCase {
  /** The notes, without `# `, joined by spaces. */
  note: string;
  sql: string;
  expectError: boolean;
}

const SEPARATOR = /^====\s*$/m;

/** Splits a corpus file into its cases (blank blocks are skipped). */
export function parseCorpus(text: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const block of text.split(SEPARATOR)) {
    const lines = block.replace(/^\n+/, "").split("\n");
    const notes: string[] = [];
    while (lines.length > 0 && lines[0].startsWith("#")) notes.push(lines.shift()!.slice(1).trim());
    const sql = lines.join("\n").trim();
    if (sql === "") continue;
    const expectError = notes.some((n) => /^ERROR\b/.test(n));
    cases.push({ note: notes.join(" "), sql, expectError });
  }
  return cases;
}
