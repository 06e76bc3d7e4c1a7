/**
 * Evaluates `a > 20 AND b->c + 1 < 100` over a batch of 10k tuples, against the same condition
 * hand-written in TypeScript (the lower bound a compiled closure can reach).
 */
import type { Tuple } from "../runtime/tuple.ts";
import { compileExpr } from "./compile.ts";
import { and, arrow, bin, CTX, field, int, testScope, tuple } from "./_test_ast.ts";

const BATCH: Tuple[] = Array.from(
  { length: 10_000 },
  (_, i) => tuple({ a: i % 40, b: { c: (i * 7) % 120 }, name: `sensor-${i}` }),
);

const condition = compileExpr(
  and(bin(">", field("a"), int(20)), bin("<", bin("+", arrow(field("b"), "c"), int(1)), int(100))),
  testScope(),
).eval;

Deno.bench("compiled: a > 20 AND b->c + 1 < 100 (10k tuples)", { group: "where" }, () => {
  let n = 0;
  for (let i = 0; i < BATCH.length; i++) if (condition(BATCH[i], CTX) === true) n++;
  if (n === 0) throw new Error("nothing matched");
});

Deno.bench("hand-written baseline (10k tuples)", { group: "where", baseline: true }, () => {
  let n = 0;
  for (let i = 0; i < BATCH.length; i++) {
    const m = BATCH[i].message as { a: number; b: { c: number } };
    if (m.a > 20 && m.b.c + 1 < 100) n++;
  }
  if (n === 0) throw new Error("nothing matched");
});

Deno.bench("compileExpr() of the condition", { group: "compile" }, () => {
  compileExpr(
    and(
      bin(">", field("a"), int(20)),
      bin("<", bin("+", arrow(field("b"), "c"), int(1)), int(100)),
    ),
    testScope(),
  );
});
