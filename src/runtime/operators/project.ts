/**
 * `op_<n>_project`: evaluates the SELECT list into output rows. Null-valued columns are left
 * out unless the rule sets `sendNilField` (eKuiper's default).
 *
 * Row-shaping fields: `extract`/`changed_cols` merge an object's keys into the row, `unnest`
 * turns a row into one row per array element, and `row_number()` numbers the rows of one
 * emission (`perEmission`: a window's rows; otherwise every row is an emission of its own, 1).
 */
import type { ProjectField } from "../../planner/rule_plan.ts";
import { partOf } from "../../planner/join_scope.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";
import { compareValues } from "./order.ts";
import { objectId } from "../../util/object_id.ts";

export class ProjectOp implements Operator<Tuple, Row> {
  readonly metrics: NodeMetrics;
  private readonly unnest: ProjectField | undefined;
  private readonly numbered: ProjectField[];

  constructor(
    readonly name: string,
    private readonly fields: ProjectField[],
    private readonly sendNilField: boolean,
    private readonly perEmission = false,
  ) {
    this.metrics = new NodeMetrics(name);
    this.unnest = fields.find((f) => f.unnest);
    this.numbered = fields.filter((f) => f.rowNumber);
  }

  /** Whether a tuple always makes exactly one row ({@link row}): no `unnest`. */
  get single(): boolean {
    return this.unnest === undefined;
  }

  /** Equal for projections that make the same row of any tuple: the same names and flags, the
   * very same evaluators (shared between rules). */
  shareKey(): string {
    const parts: (string | number)[] = [this.sendNilField ? 1 : 0];
    for (const f of this.fields) {
      parts.push(f.name, f.eval ? objectId(f.eval) : "-", f.expand ? 1 : 0, f.unnest ? 1 : 0);
      // Outside a window every row is an emission of its own: `row_number()` is 1.
      if (f.rowNumber) parts.push(this.perEmission ? `#${objectId(f.rowNumber)}` : "#");
      const w = f.wildcard;
      if (w) {
        parts.push(`*${w.stream ?? ""}`, [...w.except].sort().join(","));
        for (const r of w.replace) parts.push(r.name, objectId(r.eval));
      }
    }
    return JSON.stringify(parts);
  }

  /** The one row of `t`, for a projection that is {@link single}; throws what an expression
   * throws (`process` counts it as the node's error). */
  row(t: Tuple, ctx: OpContext): Row {
    return this.project(t, ctx, undefined, 0);
  }

  process(batch: Tuple[], ctx: OpContext): Row[] {
    const numbers = this.perEmission && this.numbered.length > 0
      ? this.numbered.map((f) => rowNumbers(f, batch, ctx))
      : undefined;
    const out: Row[] = [];
    for (let i = 0; i < batch.length; i++) {
      try {
        const row = this.project(batch[i], ctx, numbers, i);
        if (this.unnest) this.expandUnnest(row, batch[i], ctx, out);
        else out.push(row);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
      }
    }
    return out;
  }

  private project(
    t: Tuple,
    ctx: OpContext,
    numbers: number[][] | undefined,
    index: number,
  ): Row {
    const row: Row = {};
    const keepNil = this.sendNilField;
    let n = 0;
    for (const f of this.fields) {
      if (f.wildcard) {
        const { stream, except, replace } = f.wildcard;
        const m = stream === undefined ? t.message : partOf(t, stream) ?? {};
        for (const k in m) {
          if (!except.has(k)) row[k] = m[k];
        }
        for (const r of replace) row[r.name] = r.eval(t, ctx);
        continue;
      }
      if (f.unnest) continue;
      if (f.rowNumber) {
        row[f.name] = numbers ? numbers[n++][index] : 1;
        continue;
      }
      const v = f.eval!(t, ctx);
      if (f.expand) {
        if (v && typeof v === "object") Object.assign(row, v);
        continue;
      }
      if (v !== null && v !== undefined) row[f.name] = v;
      else if (keepNil) row[f.name] = null;
      else delete row[f.name];
    }
    return row;
  }

  /** One row per element of the unnested array: object elements become columns. */
  private expandUnnest(row: Row, t: Tuple, ctx: OpContext, out: Row[]): void {
    const f = this.unnest!;
    const v = f.eval!(t, ctx);
    if (v === null || v === undefined) return;
    if (!Array.isArray(v)) throw new Error("call func unnest error: unnest needs an array");
    for (const el of v) {
      if (el && typeof el === "object" && !Array.isArray(el) && !(el instanceof Uint8Array)) {
        out.push({ ...row, ...(el as Row) });
      } else out.push({ ...row, [f.name]: el });
    }
  }
}

/** `row_number()` of every row of one emission: 1..n per partition, in ORDER BY order. */
function rowNumbers(f: ProjectField, batch: Tuple[], ctx: OpContext): number[] {
  const { partitionBy, orderBy } = f.rowNumber!;
  const partitions = new Map<string, number[]>();
  batch.forEach((t, i) => {
    const key = JSON.stringify(partitionBy.map((p) => p(t, ctx) ?? null));
    const list = partitions.get(key);
    if (list) list.push(i);
    else partitions.set(key, [i]);
  });
  const numbers = new Array<number>(batch.length);
  for (const indexes of partitions.values()) {
    if (orderBy.length > 0) {
      const keys = new Map(indexes.map((i) => [i, orderBy.map((o) => o.eval(batch[i], ctx))]));
      indexes.sort((a, b) => {
        for (let k = 0; k < orderBy.length; k++) {
          const c = compareValues(keys.get(a)![k], keys.get(b)![k]);
          if (c !== 0) return orderBy[k].descending ? -c : c;
        }
        return a - b;
      });
    }
    indexes.forEach((i, n) => (numbers[i] = n + 1));
  }
  return numbers;
}
