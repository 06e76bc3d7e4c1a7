/**
 * The EXPLAIN and analysis corpus: every rule of `testdata/plans.sql` planned against the
 * catalog of `testdata/streams.sql`, compared with `testdata/plans.golden`. Run with
 * `UPDATE_GOLDEN=1` to rewrite the golden file, then review the diff: it is the spec.
 */
import { expect } from "expect";
import { explainRule } from "./plan_rule.ts";
import { corpusLines, testCatalog } from "./test_catalog.ts";

const corpus = new URL("./testdata/plans.sql", import.meta.url);
const golden = new URL("./testdata/plans.golden", import.meta.url);

Deno.test("EXPLAIN corpus matches testdata/plans.golden", async () => {
  const catalog = await testCatalog();
  const out: string[] = [];
  for (const sql of corpusLines(await Deno.readTextFile(corpus))) {
    let result: string;
    try {
      result = explainRule(sql, catalog);
    } catch (e) {
      result = `ERROR: ${(e as Error).message}`;
    }
    out.push(`### ${sql}\n${result}\n`);
  }
  const text = out.join("\n");
  if (Deno.env.get("UPDATE_GOLDEN")) await Deno.writeTextFile(golden, text);
  expect(text).toBe(await Deno.readTextFile(golden));
});
