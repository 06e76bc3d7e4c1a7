/**
 * Incremental aggregation (`planOptimizeStrategy.enableIncrementalWindow`): a window's rows are
 * folded into per-group accumulators as they arrive and never stored. A group keeps its first
 * row (GROUP BY dimensions and plain columns read it, as eKuiper's first-row semantics say) and
 * one accumulator state per aggregate call of the rule (`inc_agg_col_N`).
 *
 * When the window closes, each group becomes one tuple: its first row with `inc` holding the
 * aggregates' results, which the rewritten expressions (`bypass(inc_agg_col_N)`) read.
 *
 * @module
 */
import type { EvalContext, Evaluator } from "../../expr/types.ts";
import type { Accumulator } from "../../functions/types.ts";
import { callError } from "../../functions/invoke.ts";
import type { Tuple } from "../tuple.ts";
import { groupKey } from "../group_key.ts";
import { GroupMap } from "../group_map.ts";

/** One aggregate call, compiled for folding. */
export interface FoldFunc {
  name: string;
  // deno-lint-ignore no-explicit-any
  acc: Accumulator<any>;
  args: Evaluator[];
  /** Aggregate `FILTER (WHERE ...)`. */
  filter: Evaluator | undefined;
}

export interface FoldPlan {
  dimensions: Evaluator[];
  funcs: FoldFunc[];
  /** The rule's WHERE when it could not run before the window: failing rows are not folded. */
  where: Evaluator | undefined;
  /**
   * What the statement reads of a group's first row outside aggregates (plain columns,
   * dimensions, `meta()`); undefined: anything (`*`). Windows that keep one first row per slice
   * of time (sliding windows) keep only this much of it.
   */
  firstRow?: { columns: string[]; meta: boolean };
}

interface Group {
  /** The group's GROUP BY values. */
  values: unknown[];
  first: Tuple;
  states: unknown[];
  /** The first error a fold raised: the group's result fails as the batch aggregate would. */
  errors: (unknown | undefined)[];
}

export class GroupFold {
  private groups = new GroupMap<Group>();
  private readonly values: unknown[];
  private readonly argValues: unknown[][];

  constructor(
    private readonly plan: FoldPlan,
    private readonly ctx: EvalContext,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.values = new Array(plan.dimensions.length);
    this.argValues = plan.funcs.map((f) => new Array(f.args.length));
  }

  /** Folds one row into its group; a row whose WHERE or dimensions fail is reported, skipped. */
  add(row: Tuple): void {
    const values = this.dimensionValues(row);
    if (values === undefined) return;
    const funcs = this.plan.funcs;
    let g = this.groups.get(values);
    if (!g) {
      g = {
        values: values.slice(),
        first: row,
        states: funcs.map((f) => f.acc.init()),
        errors: funcs.map(() => undefined),
      };
      this.groups.add(g.values, g);
    }
    for (let i = 0; i < funcs.length; i++) {
      if (g.errors[i] !== undefined) continue;
      try {
        g.states[i] = this.addTo(i, g.states[i], row);
      } catch (e) {
        g.errors[i] = e;
      }
    }
  }

  /**
   * The row's group key (its dimensions' values as one string), or undefined when the row is
   * not folded: see {@link dimensionValues}.
   */
  groupKey(row: Tuple): string | undefined {
    const values = this.dimensionValues(row);
    return values && groupKey(values);
  }

  /**
   * The row's dimension values (in an array reused by the next call), or undefined when the row
   * is not folded: it fails the rule's WHERE, or evaluating WHERE or a dimension failed
   * (reported).
   */
  private dimensionValues(row: Tuple): unknown[] | undefined {
    const { dimensions, where } = this.plan;
    const ctx = this.ctx;
    try {
      if (where && where(row, ctx) !== true) return undefined;
      for (let i = 0; i < dimensions.length; i++) this.values[i] = dimensions[i](row, ctx);
      return this.values;
    } catch (e) {
      this.onError((e as Error).message);
      return undefined;
    }
  }

  /** Aggregate `i`'s state with `row` folded in (unless its FILTER rejects the row); throws
   * what the aggregate's arguments or accumulator throw. */
  addTo(i: number, state: unknown, row: Tuple): unknown {
    const f = this.plan.funcs[i];
    const ctx = this.ctx;
    if (f.filter && f.filter(row, ctx) !== true) return state;
    const args = this.argValues[i];
    for (let j = 0; j < f.args.length; j++) args[j] = f.args[j](row, ctx);
    return f.acc.add(state, args);
  }

  /** The folded aggregate calls. */
  get funcs(): readonly FoldFunc[] {
    return this.plan.funcs;
  }

  /** See {@link FoldPlan.firstRow}. */
  get firstRow(): FoldPlan["firstRow"] {
    return this.plan.firstRow;
  }

  /** Number of groups held. */
  size(): number {
    return this.groups.size;
  }

  /** The groups as tuples (first row + `inc` results), in first-seen order; then empties. */
  take(): Tuple[] {
    const out = results(this.plan.funcs, this.groups.values());
    this.groups = new GroupMap();
    return out;
  }

  /**
   * The groups of several folds merged (panes of a hopping window, in time order), as
   * {@link take} gives them; the folds are left as they are. Needs every accumulator's merge.
   */
  static merged(folds: GroupFold[]): Tuple[] {
    if (folds.length === 0) return [];
    const funcs = folds[0].plan.funcs;
    const merged = new GroupMap<Group>();
    for (const f of folds) {
      for (const g of f.groups.values()) {
        const m = merged.get(g.values);
        if (!m) {
          merged.add(g.values, { ...g, states: g.states.slice(), errors: g.errors.slice() });
          continue;
        }
        for (let i = 0; i < funcs.length; i++) {
          if (m.errors[i] === undefined) m.errors[i] = g.errors[i];
          if (m.errors[i] === undefined) {
            try {
              m.states[i] = funcs[i].acc.merge!(m.states[i], g.states[i]);
            } catch (e) {
              // Partial states can clash as rows would (max of a number and a string).
              m.errors[i] = e;
            }
          }
        }
      }
    }
    return results(funcs, merged.values());
  }

  /** Each group as `[values, first row, states]`, in first-seen order. */
  snapshot(): unknown {
    return this.groups.values().map((g) => [g.values, g.first, g.states]);
  }

  restore(s: unknown): void {
    this.groups = new GroupMap();
    for (const [values, first, states] of s as [unknown[], Tuple, unknown[]][]) {
      this.groups.add(values, { values, first, states, errors: states.map(() => undefined) });
    }
  }
}

function results(funcs: FoldFunc[], groups: Iterable<Group>): Tuple[] {
  const out: Tuple[] = [];
  for (const g of groups) {
    const inc = new Array<unknown>(funcs.length);
    for (let i = 0; i < funcs.length; i++) {
      const err = g.errors[i];
      inc[i] = err === undefined
        ? funcs[i].acc.result(g.states[i])
        : new FoldError(funcs[i].name, err);
    }
    out.push({ ...g.first, inc });
  }
  return out;
}

/** A fold that failed: reading its column raises the error, as the batch aggregate would. */
export class FoldError {
  constructor(readonly name: string, readonly cause: unknown) {}

  raise(): never {
    throw callError(this.name, this.cause);
  }
}
