/**
 * `op_<n>_order`: ORDER BY and LIMIT, applied per emission (one window's rows or groups; a
 * single row without a window). The sort is stable; values compare as eKuiper's sorter does
 * for like types (numbers numerically, strings by code point, booleans false < true), nulls
 * first when ascending, and values of different types by a fixed type rank so that mixed
 * columns still sort deterministically.
 */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

export interface SortKey {
  eval: Evaluator;
  descending: boolean;
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    default:
      return 4;
  }
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 2) return (a as number) - (b as number);
  if (ra === 1 || ra === 3) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

export class OrderOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly keys: SortKey[],
    private readonly limit: number | undefined,
  ) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    let rows = batch;
    if (this.keys.length > 0 && rows.length > 1) {
      const keyed: { t: Tuple; k: unknown[] }[] = [];
      for (const t of rows) {
        try {
          keyed.push({ t, k: this.keys.map((k) => k.eval(t, ctx)) });
        } catch (e) {
          ctx.error(this.metrics, (e as Error).message);
        }
      }
      keyed.sort((x, y) => {
        for (let i = 0; i < this.keys.length; i++) {
          const c = compareValues(x.k[i], y.k[i]);
          if (c !== 0) return this.keys[i].descending ? -c : c;
        }
        return 0;
      });
      rows = keyed.map((e) => e.t);
    }
    return this.limit !== undefined && rows.length > this.limit ? rows.slice(0, this.limit) : rows;
  }
}
