/**
 * Golden tests: every statement of `grammar/testdata/<topic>.sql` with its expected AST (spans
 * stripped) or exact error message in `<topic>.golden.json`. The goldens are the grammar's spec:
 * review them by eye. Regenerate with `UPDATE_GOLDEN=1 deno test -A grammar/golden_test.ts`.
 */
import { expect } from "expect";
import { parseStatement, SqlSyntaxError } from "./mod.ts";
import { type CorpusCase, parseCorpus } from "./golden_corpus.ts";
import { printStatement } from "./print.ts";
import { stripSpans } from "./test_util.ts";

const DIR = new URL("./testdata/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

interface Golden {
  sql: string;
  ast?: unknown;
  error?: string;
}

function run(c: CorpusCase): Golden {
  try {
    return { sql: c.sql, ast: stripSpans(parseStatement(c.sql)) };
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    return { sql: c.sql, error: e.message };
  }
}

const topics = [...Deno.readDirSync(DIR)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".sql"))
  .map((n) => n.slice(0, -4))
  .sort();

/** All cases, for the corpus-size and span tests. */
const all: CorpusCase[] = topics.flatMap((t) =>
  parseCorpus(Deno.readTextFileSync(new URL(`${t}.sql`, DIR)))
);

for (const topic of topics) {
  Deno.test(`golden: ${topic}`, async (t) => {
    const cases = parseCorpus(await Deno.readTextFile(new URL(`${topic}.sql`, DIR)));
    const results = cases.map(run);
    const goldenUrl = new URL(`${topic}.golden.json`, DIR);
    if (UPDATE) {
      await Deno.writeTextFile(goldenUrl, JSON.stringify(results, null, 2) + "\n");
    }
    const golden: Golden[] = JSON.parse(await Deno.readTextFile(goldenUrl));
    expect(golden.map((g) => g.sql)).toEqual(cases.map((c) => c.sql));
    for (const [i, c] of cases.entries()) {
      const name = `${i + 1}: ${c.sql.replace(/\s+/g, " ").slice(0, 70)}`;
      await t.step(name, () => {
        // The marker, independent of the goldens: accepted or rejected as intended.
        expect({ sql: c.sql, rejected: results[i].error !== undefined })
          .toEqual({ sql: c.sql, rejected: c.expectError });
        expect(results[i]).toEqual(golden[i]);
      });
    }
  });
}

Deno.test("golden: the corpus has at least 300 statements, valid and invalid", () => {
  expect(all.length).toBeGreaterThanOrEqual(300);
  expect(all.filter((c) => c.expectError).length).toBeGreaterThanOrEqual(80);
  expect(all.filter((c) => !c.expectError).length).toBeGreaterThanOrEqual(200);
});

type Spanned = { kind?: string; span?: { start: number; end: number } };

/** Every node with a span, with the span of the nearest enclosing node. */
function spannedNodes(root: unknown): { node: Spanned; parent?: Spanned }[] {
  const out: { node: Spanned; parent?: Spanned }[] = [];
  const visit = (value: unknown, parent: Spanned | undefined) => {
    if (value === null || typeof value !== "object") return;
    const node = value as Spanned;
    const spanned = node.span && typeof node.span.start === "number";
    if (spanned) out.push({ node, parent });
    for (const [k, child] of Object.entries(value)) {
      if (k !== "span") visit(child, spanned ? node : parent);
    }
  };
  visit(root, undefined);
  return out;
}

Deno.test("golden: spans of every accepted corpus statement are nested and in bounds", () => {
  for (const c of all.filter((c) => !c.expectError)) {
    const ast = parseStatement(c.sql);
    for (const { node, parent } of spannedNodes(ast)) {
      const { start, end } = node.span!;
      const where = `${node.kind ?? "node"} [${start}, ${end}) in ${JSON.stringify(c.sql)}`;
      expect({ where, ok: 0 <= start && start <= end && end <= c.sql.length })
        .toEqual({ where, ok: true });
      if (parent) {
        const p = parent.span!;
        expect({ where, inside: p.start <= start && end <= p.end }).toEqual({
          where,
          inside: true,
        });
      }
      // a span never starts or ends on a blank
      expect({ where, text: c.sql.slice(start, end).trim() }).toEqual({
        where,
        text: c.sql.slice(start, end),
      });
    }
  }
});

Deno.test("golden: spans cover exactly their source text", () => {
  const sql = "SELECT a->b[1:2] AS x, count(*) FILTER (WHERE y > 1)\nFROM s AS t\n" +
    "LEFT JOIN u ON t.id = u.id WHERE NOT (a IN (1, 2)) GROUP BY TUMBLINGWINDOW(ss, 10)";
  const ast = parseStatement(sql);
  const texts = spannedNodes(ast).map(({ node }) =>
    `${node.kind ?? "-"}: ${sql.slice(node.span!.start, node.span!.end)}`
  );
  expect(texts).toEqual([
    `Select: ${sql}`,
    "-: a->b[1:2] AS x",
    "Slice: a->b[1:2]",
    "Access: a->b",
    "FieldRef: a",
    "IntegerLiteral: 1",
    "IntegerLiteral: 2",
    "-: count(*) FILTER (WHERE y > 1)",
    "Call: count(*) FILTER (WHERE y > 1)",
    "Wildcard: *",
    "Binary: y > 1",
    "FieldRef: y",
    "IntegerLiteral: 1",
    "-: s AS t",
    "-: LEFT JOIN u ON t.id = u.id",
    "-: u",
    "Binary: t.id = u.id",
    "FieldRef: t.id",
    "FieldRef: u.id",
    "Unary: NOT (a IN (1, 2))",
    "In: (a IN (1, 2))",
    "FieldRef: a",
    "IntegerLiteral: 1",
    "IntegerLiteral: 2",
    "Window: TUMBLINGWINDOW(ss, 10)",
    "TimeUnitLiteral: ss",
    "IntegerLiteral: 10",
  ]);
});

Deno.test("golden: every accepted corpus statement survives print → parse", () => {
  for (const c of all.filter((c) => !c.expectError)) {
    const ast = stripSpans(parseStatement(c.sql));
    const printed = printStatement(parseStatement(c.sql));
    expect({ sql: c.sql, printed, ast: stripSpans(parseStatement(printed)) })
      .toEqual({ sql: c.sql, printed, ast });
  }
});
