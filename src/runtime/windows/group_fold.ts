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
  first: Tuple;
  states: unknown[];
  /** The first error a fold raised: the group's result fails as the batch aggregate would. */
  errors: (unknown | undefined)[];
}

export class GroupFold {
  private groups = new Map<string, Group>();
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
    const key = this.groupKey(row);
    if (key === undefined) return;
    const funcs = this.plan.funcs;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        first: row,
        states: funcs.map((f) => f.acc.init()),
        errors: funcs.map(() => undefined),
      };
      this.groups.set(key, g);
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
   * The row's group key (its dimensions' values), or undefined when the row is not folded: it
   * fails the rule's WHERE, or evaluating WHERE or a dimension failed (reported).
   */
  groupKey(row: Tuple): string | undefined {
    const { dimensions, where } = this.plan;
    const ctx = this.ctx;
    try {
      if (where && where(row, ctx) !== true) return undefined;
      for (let i = 0; i < dimensions.length; i++) this.values[i] = dimensions[i](row, ctx);
      return groupKey(this.values);
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
    this.groups = new Map();
    return out;
  }

  /**
   * The groups of several folds merged (panes of a hopping window, in time order), as
   * {@link take} gives them; the folds are left as they are. Needs every accumulator's merge.
   */
  static merged(folds: GroupFold[]): Tuple[] {
    if (folds.length === 0) return [];
    const funcs = folds[0].plan.funcs;
    const merged = new Map<string, Group>();
    for (const f of folds) {
      for (const [key, g] of f.groups) {
        const m = merged.get(key);
        if (!m) {
          merged.set(key, { first: g.first, states: g.states.slice(), errors: g.errors.slice() });
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

  snapshot(): unknown {
    return [...this.groups.entries()].map(([k, g]) => [k, g.first, g.states]);
  }

  restore(s: unknown): void {
    const entries = s as [string, Tuple, unknown[]][];
    this.groups = new Map(
      entries.map(([k, first, states]) => [
        k,
        { first, states, errors: states.map(() => undefined) },
      ]),
    );
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
