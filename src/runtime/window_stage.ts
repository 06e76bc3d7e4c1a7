/**
 * The set-at-a-time half of a rule: `op_<n>_window` -> [`op_<n>_join`] -> [`op_<n>_filter`] ->
 * [`op_<n>_aggregate`] -> [`op_<n>_having`] -> [`op_<n>_order`] -> `op_<n>_project`, one emission
 * (an array of rows) per window. Decoded rows are pushed in; time-driven windows close on a
 * timer the stage keeps armed at the window engine's next deadline.
 *
 * Without a window (a stream joined with tables) every event is its own emission: its rows
 * joined with the tables' current content.
 *
 * A window emits even when empty (eKuiper's window operator does); the sinks' `omitIfEmpty`
 * decides whether `[]` is sent. With aggregates or GROUP BY dimensions an empty window has no
 * group and emits `[]`.
 */
import type { EvalContext, Evaluator } from "../expr/types.ts";
import { NodeMetrics } from "./metrics.ts";
import type { OpContext } from "./operator.ts";
import type { Row, Tuple } from "./tuple.ts";
import {
  type FoldPlan,
  GroupFold,
  WindowOperator,
  type WindowOptions,
  type WindowResult,
  type WindowSpec,
} from "./windows/mod.ts";
import { FilterOp } from "./operators/filter.ts";
import { GroupOp } from "./operators/group.ts";
import { JoinOp, type JoinStep } from "./operators/join.ts";
import { LookupJoinOp, type LookupStep } from "./operators/lookup_join.ts";
import type { LookupTable } from "./lookup_table.ts";
import { OrderOp, type SortKey } from "./operators/order.ts";
import { ProjectOp } from "./operators/project.ts";
import { timedStep } from "./timed_step.ts";
import type { RowColumns } from "./windows/row_columns.ts";
import type { ProjectField } from "../planner/rule_plan.ts";

/** What the planner compiles for the set-at-a-time part of a rule. */
export interface WindowStagePlan {
  /** Builds the window spec (its predicates evaluate in `ctx`); absent: one emission per row. */
  spec: ((ctx: EvalContext) => WindowSpec) | undefined;
  /** Incremental aggregation: rows folded into per-group accumulators, never kept. */
  fold: FoldPlan | undefined;
  /** Joins the rows of several sources (streams in the window, and tables). */
  join: { from: string; steps: JoinStep[]; order: string[] } | undefined;
  /** Lookup-table joins, after the join. */
  lookups: LookupStep[];
  /** WHERE evaluated on the emission's rows (when it could not run earlier). */
  filter: Evaluator | undefined;
  /** True when the SELECT aggregates or there are dimensions: one row per group. */
  grouped: boolean;
  dimensions: Evaluator[];
  /** Per dimension, the column it is exactly, if any (grouping rows held as columns). */
  dimensionColumns: (string | undefined)[];
  /** A tumbling or hopping window over one stream, reading only these of its columns: it
   * holds its rows as columns (see `windows/row_columns.ts`) instead of pruned tuples. */
  columns: { emitter: string; names: string[] } | undefined;
  having: Evaluator | undefined;
  orderBy: SortKey[];
  limit: number | undefined;
}

export interface WindowStageOptions extends WindowOptions {
  /** The first free operator number (`op_<n>_window`). */
  firstOp: number;
  fields: ProjectField[];
  sendNilField: boolean;
  ctx: OpContext;
  /** The current rows of the rule's tables, joined with every emission. */
  tableRows?: () => Tuple[];
  /** The rule's lookup tables, by name in the rule. */
  lookupTables?: ReadonlyMap<string, LookupTable>;
  /** Arms a timer; returns its cancel function. */
  setTimer(at: number, fn: () => void): () => void;
  now(): number;
  /** Receives each emission's rows. */
  emit(rows: Row[], now: number): void;
}

type Step = { metrics: NodeMetrics; process(b: Tuple[], c: OpContext): Tuple[] };

export class WindowStage {
  private readonly windowMetrics: NodeMetrics | undefined;
  private readonly window: WindowOperator | undefined;
  private readonly steps: Step[] = [];
  private readonly project: ProjectOp;
  private cancelTimer: (() => void) | undefined;
  private armedAt: number | undefined;
  private stopped = false;

  constructor(plan: WindowStagePlan, private readonly opts: WindowStageOptions) {
    let n = opts.firstOp;
    if (plan.spec) {
      const metrics = new NodeMetrics(`op_${n++}_window`, () => this.bufferedCount());
      const onError = (message: string) => opts.ctx.error(metrics, message);
      this.windowMetrics = metrics;
      const foldPlan = plan.fold;
      const fold = foldPlan && (() => new GroupFold(foldPlan, opts.ctx, onError));
      this.window = new WindowOperator(plan.spec(opts.ctx), {
        ...opts,
        onError,
        fold,
        columns: plan.columns,
      });
      if (opts.isEventTime) {
        // Events older than the watermark are dropped (eKuiper drops them silently).
        const window = this.window;
        metrics.extra = () => ({ late_dropped_total: window.lateDropped() });
      }
    }
    if (plan.join) {
      const { from, steps, order } = plan.join;
      this.steps.push(new JoinOp(`op_${n++}_join`, from, steps, order));
    }
    for (const l of plan.lookups) {
      const table = opts.lookupTables?.get(l.source);
      if (!table) throw new Error(`lookup table ${l.source} is not read by the rule`);
      this.steps.push(new LookupJoinOp(`op_${n++}_lookup`, l, table));
    }
    if (plan.filter) this.steps.push(new FilterOp(`op_${n++}_filter`, plan.filter));
    if (plan.grouped) {
      this.steps.push(new GroupOp(`op_${n++}_aggregate`, plan.dimensions, plan.dimensionColumns));
    }
    if (plan.having) this.steps.push(new FilterOp(`op_${n++}_having`, plan.having));
    if (plan.orderBy.length > 0 || plan.limit !== undefined) {
      this.steps.push(new OrderOp(`op_${n++}_order`, plan.orderBy, plan.limit));
    }
    this.project = new ProjectOp(`op_${n++}_project`, opts.fields, opts.sendNilField, true);
  }

  /** Node metrics in topological order. */
  nodes(): NodeMetrics[] {
    const list = this.windowMetrics ? [this.windowMetrics] : [];
    return [...list, ...this.steps.map((s) => s.metrics), this.project.metrics];
  }

  /** Rows held by the window (and the event-time buffer). */
  bufferedCount(): number {
    return this.window?.bufferedCount() ?? 0;
  }

  /** Starts the window clock at rule start: processing-time windows align from here and
   * emit (empty) windows before the first row arrives. */
  start(): void {
    this.stopped = false;
    this.window?.start(this.opts.now());
    this.rearm();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = undefined;
  }

  push(rows: Tuple[], now: number): void {
    if (!this.window) {
      // One emission per event.
      for (const r of rows) this.deliverOne(0, 0, [r], now);
      return;
    }
    const m = this.windowMetrics!;
    m.recordsIn += rows.length;
    m.processed += rows.length;
    m.lastInvocation = now;
    this.deliver(this.window.push(rows, now), now);
    this.rearm();
  }

  private onTimer(): void {
    this.cancelTimer = undefined;
    this.armedAt = undefined;
    if (this.stopped || !this.window) return;
    const now = this.opts.now();
    this.deliver(this.window.onTime(now), now);
    this.rearm();
  }

  private rearm(): void {
    if (this.stopped || !this.window) return;
    const at = this.window.nextDeadline();
    if (at === this.armedAt) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = at;
    if (at !== undefined) this.cancelTimer = this.opts.setTimer(at, () => this.onTimer());
  }

  private deliver(windows: WindowResult[], now: number): void {
    for (const w of windows) {
      this.windowMetrics!.recordsOut++;
      this.deliverOne(w.start, w.end, w.columns ?? w.rows, now);
    }
  }

  private deliverOne(start: number, end: number, rows: Tuple[] | RowColumns, now: number): void {
    const ctx = this.opts.ctx;
    if (this.window) ctx.window = { start, end };
    try {
      let tuples: Tuple[];
      let first = 0;
      if (Array.isArray(rows)) tuples = rows;
      else if (this.steps[0] instanceof GroupOp && !this.opts.tableRows) {
        // Rows held as columns are grouped as they are; other steps get tuples.
        tuples = this.steps[0].processColumns(rows, ctx, now);
        first = 1;
      } else tuples = rows.tuples();
      if (this.opts.tableRows) tuples = tuples.concat(this.opts.tableRows());
      for (let i = first; i < this.steps.length; i++) {
        tuples = timedStep(this.steps[i], tuples, ctx, now);
      }
      const out = timedStep(this.project, tuples, ctx, now);
      // A window is emitted even when empty; an event that joined nothing is not.
      if (this.window || out.length > 0) this.opts.emit(out, now);
    } finally {
      ctx.window = undefined;
    }
  }
}
