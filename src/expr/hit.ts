/**
 * eKuiper's implicit state functions: `last_hit_count()` / `last_hit_time()` (plain rules, and
 * a sliding window's trigger) and `last_agg_hit_count()` / `last_agg_hit_time()` (aggregate
 * rules). Each call site keeps its own count and time, as eKuiper keeps them per function
 * instance, and returns the value from *before* the current hit.
 *
 * Where the call sits decides what a hit is:
 * - inside a condition (WHERE, HAVING, `OVER (WHEN ...)`): the call only reads; the condition,
 *   compiled with a {@link HitSite}, records a hit on every site it holds when it is true
 *   (`last_hit_count() < 3` lets three rows through);
 * - anywhere else (SELECT): every evaluation is a hit (the count of rows, or of groups, emitted
 *   before this one).
 *
 * The time of a hit is the row's timestamp; for the aggregate forms in a window, the window's
 * end. State lives as long as the compiled rule (it restarts at zero when the rule is
 * recreated; no checkpoints yet).
 *
 * @module
 */
import type { CompiledExpr, EvalContext, Evaluator } from "./types.ts";
import type { Tuple } from "../runtime/tuple.ts";

interface HitState {
  count: number;
  time: number;
}

type HitTime = (t: Tuple, ctx: EvalContext) => number;

const rowTime: HitTime = (t) => t.timestamp;
const groupTime: HitTime = (t, ctx) => ctx.window?.end ?? t.timestamp;

/** The hit functions of one condition, recorded together when it is true. */
export class HitSite {
  private readonly sites: { state: HitState; time: HitTime }[] = [];

  add(state: HitState, time: HitTime): void {
    this.sites.push({ state, time });
  }

  /** `condition`, recording a hit on each site whenever it is true; as is without sites. */
  wrap(condition: Evaluator): Evaluator {
    const sites = this.sites;
    if (sites.length === 0) return condition;
    return (t, ctx) => {
      const r = condition(t, ctx);
      if (r === true) {
        for (const s of sites) {
          s.state.count++;
          s.state.time = s.time(t, ctx);
        }
      }
      return r;
    };
  }
}

export function compileHit(
  value: "count" | "time",
  aggregate: boolean,
  site: HitSite | undefined,
): CompiledExpr {
  const state: HitState = { count: 0, time: 0 };
  const time = aggregate ? groupTime : rowTime;
  if (site) {
    site.add(state, time);
    return {
      eval: value === "count" ? () => state.count : () => state.time,
      type: "bigint",
    };
  }
  return {
    eval: (t, ctx) => {
      const v = value === "count" ? state.count : state.time;
      state.count++;
      state.time = time(t, ctx);
      return v;
    },
    type: "bigint",
  };
}
