/**
 * Parse + analyse + plan time of a rule, the work done once per rule creation (and per
 * restart): `deno bench -A src/planner/plan_bench.ts`. Figures are in bench/RESULTS.md.
 */
import { parseSelect } from "../../grammar/mod.ts";
import { planLogical, planRule } from "./plan_rule.ts";
import { testCatalog } from "./test_catalog.ts";

const catalog = await testCatalog();

const TYPICAL =
  "SELECT temp, name, temp * 1.8 + 32 AS f FROM src1 WHERE temp > 30 AND name LIKE 'a%'";

/** A ~4 KB rule: 40 computed fields, a long WHERE and ORDER BY. */
function bigRule(): string {
  const fields: string[] = [];
  for (let i = 0; i < 40; i++) {
    fields.push(
      `CASE WHEN temp > ${i} THEN round(temp * ${i}.5, 2) ELSE abs(id1 - ${i}) END AS f${i}`,
    );
  }
  const conds: string[] = [];
  for (let i = 0; i < 20; i++) {
    conds.push(`(temp BETWEEN ${i} AND ${i + 10} OR id1 IN (${i}, ${i + 1}))`);
  }
  return `SELECT ${fields.join(", ")} FROM src1 WHERE ${
    conds.join(" AND ")
  } ORDER BY temp DESC LIMIT 10`;
}
const BIG = bigRule();
if (BIG.length < 4000) throw new Error(`the big rule is only ${BIG.length} bytes`);

Deno.bench("parse: typical rule", { group: "typical" }, () => {
  parseSelect(TYPICAL);
});
Deno.bench("parse + analyse + logical plan: typical rule", { group: "typical" }, () => {
  planLogical(TYPICAL, catalog);
});
Deno.bench("parse + plan + compile (rule creation): typical rule", { group: "typical" }, () => {
  planRule(TYPICAL, catalog);
});
Deno.bench(`parse: 4 KB rule (${BIG.length} bytes)`, { group: "big" }, () => {
  parseSelect(BIG);
});
Deno.bench("parse + analyse + logical plan: 4 KB rule", { group: "big" }, () => {
  planLogical(BIG, catalog);
});
Deno.bench("parse + plan + compile (rule creation): 4 KB rule", { group: "big" }, () => {
  planRule(BIG, catalog);
});
