/**
 * A running rule: its topology built from the plan - one lane per source (input -> [ratelimit]
 * -> decoder -> [filter]), then either [order] -> project per row, or the window stage (window ->
 * [join] -> [filter] -> [aggregate] -> [having] -> [order] -> project per window) - and the
 * scheduler Task that pulls it. Node names follow eKuiper's
 * topology (`source_demo`, `op_2_decoder`, `op_3_filter`, `op_4_project`,
 * `op_mqtt_0_0_transform`, `op_mqtt_0_1_encode`, `sink_mqtt_0`), which is what metric keys in
 * `GET /rules/{id}/status` and `/topo` are made of.
 */
import type { KeyedState } from "../store/keyed_state.ts";
import { DelayHold } from "./delay_hold.ts";
import type { RawMessage, SourceProps, SourceSpec } from "../io/types.ts";
import { getSinkSpec, getSourceSpec } from "../io/mod.ts";
import type { RulePlan, SourceStagePlan, TableStagePlan } from "../planner/rule_plan.ts";
import type { RuleDef } from "../rules/rule_def.ts";
import {
  formatConfig,
  optionBool,
  optionString,
  sourceType,
  type StreamDef,
} from "../catalog/stream_def.ts";
import type { ConfKeys } from "../config/conf_keys.ts";
import { type Format, getFormat, sinkFormatConfig } from "../formats/mod.ts";
import { errorMessage, PlanError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type NodeMetrics, PassCount } from "./metrics.ts";
import type { OpContext } from "./operator.ts";
import type { Scheduler, Task } from "./scheduler.ts";
import { SourceInput } from "./source_input.ts";
import type { Attachment, SourceHub } from "./source_hub.ts";
import { downsampleOf, resolveSourceProps } from "./source_props.ts";
import { type DirectSend, SinkNode } from "./sink_node.ts";
import { DecoderOp } from "./operators/decoder.ts";
import { PayloadDecoderOp } from "./operators/payload_decoder.ts";
import { FilterOp } from "./operators/filter.ts";
import { ProjectOp } from "./operators/project.ts";
import { OrderOp } from "./operators/order.ts";
import { EventTimeStamper } from "./operators/event_time.ts";
import { WindowStage } from "./window_stage.ts";
import { LATENCY_SAMPLE_MS, recordStep, timedStep } from "./timed_step.ts";
import { intern } from "../util/intern.ts";
import type { Row, Tuple } from "./tuple.ts";
import { TableState } from "./table_state.ts";
import { LookupTable } from "./lookup_table.ts";
import { AnalyticOp } from "./operators/analytic.ts";
import {
  MAX_FAMILY_SINKS,
  type RoutedPath,
  RoutedSlot,
  SLOT_IN_TURN,
  SLOT_STOPPED,
  slotSinkBit,
} from "./routed_family.ts";
import { objectId } from "../util/object_id.ts";

/** Messages taken from the source buffer per scheduler turn. */
const BATCH_SIZE = 256;
/** At most this many per-record error lines per node per second reach the log. */
const ERROR_LOG_PER_SECOND = 5;

export interface RuleRuntimeDeps {
  scheduler: Scheduler;
  hub: SourceHub;
  confKeys: ConfKeys;
  logger: Logger;
  /** What `get_keyed_state()` reads; absent, every key is missing. */
  keyedState?: KeyedState;
}

/**
 * A delimited stream whose source sets `hasHeader` (a confKey or source property, as in
 * eKuiper) reads column names from each payload's first line.
 */
function withSourceHeader(format: Format, stream: StreamDef, props: SourceProps): Format {
  if (format.name !== "delimited" || props.hasHeader !== true) return format;
  return getFormat("delimited", { ...formatConfig(stream), hasHeader: true }) ?? format;
}

/** A copy of `t` holding only the `keep` columns: what a window needs to hold. */
function pruned(t: Tuple, keep: string[]): Tuple {
  const message: Row = {};
  for (const k of keep) {
    const v = t.message[k];
    if (v !== undefined) message[k] = v;
  }
  return { ...t, message };
}

/** One source of a rule: its input buffer, decoder and pushed-down filter. */
class SourceLane {
  /** Set for a scan table's lane: its rows update the table instead of flowing on. */
  table: TableState | undefined;
  /** Set for a lookup table's lane: its rows update the keyed index. */
  lookup: LookupTable | undefined;
  readonly input: SourceInput;
  readonly decoder: DecoderOp | PayloadDecoderOp;
  readonly eventTime: EventTimeStamper | undefined;
  readonly filter: FilterOp | undefined;
  readonly analytic: AnalyticOp | undefined;
  readonly props: SourceProps;
  readonly spec: SourceSpec;
  attachment: Attachment | undefined;

  constructor(
    readonly plan:
      | SourceStagePlan
      | (TableStagePlan & { filter?: undefined; analytic?: undefined; dispatch?: undefined }),
    rule: RuleDef,
    deps: RuleRuntimeDeps,
    wake: () => void,
    nextOp: () => number,
  ) {
    const stream = plan.stream;
    this.spec = getSourceSpec(sourceType(stream))!;
    this.props = resolveSourceProps(stream, deps.confKeys);
    const sourceBuffer = this.props.bufferLength;
    const capacity = typeof sourceBuffer === "number" ? sourceBuffer : rule.options.bufferLength;
    this.input = new SourceInput(
      stream.name,
      capacity,
      this.spec.overflow ?? "dropOldest",
      wake,
      downsampleOf(stream, this.props),
    );
    if (this.input.rateLimit) nextOp(); // op_<n>_ratelimit
    const format = withSourceHeader(plan.format, stream, this.props);
    this.decoder = this.input.rateLimit?.merging
      ? new PayloadDecoderOp(`op_${nextOp()}_payload_decoder`, plan.ref, format, plan.schema)
      : new DecoderOp(
        `op_${nextOp()}_decoder`,
        plan.ref,
        format,
        plan.schema,
        optionBool(stream, "SHARED")
          ? {
            stream: stream.name,
            // Analytic functions and event time write to the tuples: those rules make their own.
            tuples: !rule.options.isEventTime && !(plan.analytic && plan.analytic.size > 0),
          }
          : undefined,
      );
    if (rule.options.isEventTime && !("retainSize" in plan)) {
      const tsField = optionString(stream, "TIMESTAMP");
      if (!tsField) {
        throw new PlanError(
          "preprocessor is set to be event time but stream option TIMESTAMP not found",
        );
      }
      this.eventTime = new EventTimeStamper(
        tsField,
        optionString(stream, "TIMESTAMP_FORMAT"),
        this.decoder.metrics,
      );
    }
    const slots = plan.analytic;
    this.analytic = slots && slots.size > 0
      ? new AnalyticOp(`op_${nextOp()}_analytic`, slots)
      : undefined;
    this.filter = plan.filter ? new FilterOp(`op_${nextOp()}_filter`, plan.filter) : undefined;
    const dispatch = plan.dispatch;
    const decoder = this.decoder;
    if (
      dispatch && this.filter && decoder instanceof DecoderOp && decoder.sharesTuples &&
      !this.input.rateLimit && !this.analytic
    ) {
      // The SHARED stream's fan-out may skip messages this rule's WHERE cannot pass. Rules
      // grouped by one key get the very same tuple for a message (the key names the decoding).
      this.input.gate = {
        ...dispatch,
        key: intern(`${dispatch.key}|${decoder.tupleKey}`),
        tuple: (m) => decoder.sharedTuple(m),
        input: this.input,
      };
      const count = () => this.input.skipped();
      this.input.metrics.skipped = { count, out: true };
      decoder.metrics.skipped = { count, out: true };
      this.filter.metrics.skipped = { count, out: false };
    }
  }

  /** Lets the SHARED stream's fan-out judge the messages it routes to this rule by value, when
   * the rest of the WHERE keeps no state: the rule's buffer gets only those it passes. */
  judgeRouted(ctx: OpContext): void {
    const gate = this.input.gate, filter = this.filter, routed = this.plan.dispatch?.routed;
    if (!gate || !filter || !routed) return;
    const rest = routed.condition;
    if (rest) {
      const metrics = filter.metrics;
      gate.judge = (t) => {
        try {
          return rest(t, ctx) === true;
        } catch (e) {
          ctx.error(metrics, (e as Error).message);
          return false;
        }
      };
    }
    filter.routedKey = gate.key;
  }

  nodes(): NodeMetrics[] {
    const list = [...this.input.nodeMetrics(), this.decoder.metrics];
    if (this.analytic) list.push(this.analytic.metrics);
    if (this.filter) list.push(this.filter.metrics);
    return list;
  }
}

export class RuleRuntime implements Task {
  private readonly lanes: SourceLane[];
  private readonly project: ProjectOp | undefined;
  private readonly order: OrderOp | undefined;
  private readonly windowStage: WindowStage | undefined;
  private readonly sinks: SinkNode[];
  private readonly ctx: OpContext;
  private running = false;
  queued = false;
  /** True while `runOnce` runs. */
  private inTurn = false;
  /** Present when the rule calls `delay()`. */
  private readonly hold: DelayHold | undefined;
  /** The lane the next turn starts with (round-robin across sources). */
  private nextLane = 0;
  private readonly batch: RawMessage[] = [];
  /** The one-tuple batch of {@link runRouted}. */
  private readonly one: Tuple[] = [];
  /** Routed messages counted together for source, decoder, filter and project (the family
   * slot, when the rule is in a family of rules alike). */
  private pass = new PassCount();
  /** The rule's slot in its routed family: its bits follow `running` and `inTurn`. */
  private slot: RoutedSlot | undefined;
  /** Until when (epoch ms) a routed message may be counted in `pass`, untimed. */
  private untimedUntil = 0;
  private readonly logWindow = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly rule: RuleDef,
    private readonly plan: RulePlan,
    private readonly deps: RuleRuntimeDeps,
  ) {
    const log = deps.logger;
    let n = 2;
    const nextOp = () => n++;
    const wake = () => deps.scheduler.wake(this);
    this.lanes = plan.sources.map((p) => new SourceLane(p, rule, deps, wake, nextOp));
    for (const t of plan.tables) {
      const lane = new SourceLane(t, rule, deps, wake, nextOp);
      lane.table = new TableState(t.retainSize);
      this.lanes.push(lane);
    }
    const tables = this.lanes.filter((l) => l.table).map((l) => l.table!);
    const lookupTables = new Map<string, LookupTable>();
    for (const t of plan.lookupTables) {
      const lane = new SourceLane(t, rule, deps, wake, nextOp);
      lane.lookup = new LookupTable(t.key);
      lookupTables.set(t.ref, lane.lookup);
      this.lanes.push(lane);
    }
    const firstWindowOp = n;
    if (!plan.window) {
      this.order = plan.orderBy || plan.limit !== undefined
        ? new OrderOp(`op_${n++}_order`, [], plan.limit)
        : undefined;
      this.project = new ProjectOp(`op_${n++}_project`, plan.fields, rule.options.sendNilField);
    }
    this.sinks = rule.actions.map((a, i) => {
      const sinkSpec = getSinkSpec(a.type);
      if (!sinkSpec) throw new PlanError(`sink ${a.type} is not defined`, 4000);
      const format = getFormat(String(a.props.format ?? "json"), sinkFormatConfig(a.props));
      if (!format) throw new PlanError(`invalid action ${a.type}: format ${a.props.format}`, 4000);
      return new SinkNode({
        ruleId: rule.id,
        type: a.type,
        index: i,
        spec: sinkSpec,
        props: deps.confKeys.resolveSink(a.type, a.props),
        format,
        bufferLength: rule.options.bufferLength,
        logger: log.child(`sink_${a.type}_${i}`),
        // A sink emptied during this rule's own turn needs no wake: the scheduler checks the
        // rule again after the turn (100 rules on a SHARED stream doubled their wakes).
        onDrain: () => {
          if (!this.inTurn) deps.scheduler.wake(this);
        },
      });
    });
    const clock = deps.scheduler.clock;
    this.hold = plan.usesDelay
      ? new DelayHold({
        now: () => clock.now(),
        setTimer: (at, fn) => deps.scheduler.addTimer(at, fn),
        release: (rows, now) => {
          for (const s of this.sinks) s.collect(rows, now);
        },
        wake,
      })
      : undefined;
    const sendError = rule.options.sendError;
    this.ctx = {
      ruleId: rule.id,
      ruleStart: clock.now(),
      now: () => clock.now(),
      keyedState: deps.keyedState && ((key: string) => deps.keyedState!.get(key)),
      delay: (ms: number) => this.hold?.request(ms),
      error: (node: NodeMetrics, message: string) => {
        node.error(message, clock.now());
        this.logError(node.name, message);
        if (sendError) { for (const s of this.sinks) s.collectError(message, clock.now()); }
      },
    };
    for (const lane of this.lanes) lane.judgeRouted(this.ctx);
    this.attachRoutedRun();
    if (plan.window) {
      this.windowStage = new WindowStage(plan.window, {
        firstOp: firstWindowOp,
        fields: plan.fields,
        sendNilField: rule.options.sendNilField,
        ctx: this.ctx,
        isEventTime: rule.options.isEventTime,
        lateTolerance: rule.options.lateTolerance,
        watermarkIdleTimeout: rule.options.watermarkIdleTimeout,
        emitters: plan.sources.map((p) => p.ref),
        lookupTables,
        tableRows: tables.length === 0
          ? undefined
          : tables.length === 1
          ? () => tables[0].snapshot()
          : () => tables.flatMap((t) => t.snapshot()),
        setTimer: (at, fn) => deps.scheduler.addTimer(at, fn),
        now: () => clock.now(),
        emit: (rows, now) => this.emit(rows, now),
      });
    }
  }

  /**
   * A rule that only filters and projects one SHARED stream, whose WHERE the fan-out routes and
   * judges, runs each message it passes at once, inside the fan-out: no buffer, no scheduler
   * turn. 100 such rules each get a few messages per socket read, and a scheduled run costs
   * more than its messages (bench/RESULTS.md, session 15). A rule with a routed path joins the
   * family of rules alike in the fan-out, which then runs most of its messages.
   */
  private attachRoutedRun(): void {
    const lane = this.lanes[0];
    if (
      this.lanes.length !== 1 || this.plan.window || this.order ||
      this.hold || lane.eventTime || lane.analytic || lane.input.rateLimit ||
      lane.filter?.routedKey === undefined
    ) return;
    const gate = lane.input.gate!;
    gate.run = (t, msg) => this.runRouted(lane, t, msg);
    const path = this.routedPath(lane);
    if (path) {
      this.slot = path.slot;
      this.pass = path.slot;
      gate.path = path;
      lane.input.routedSlot = path.slot;
      this.sinks.forEach((s, k) => s.watchIdle(path.slot, slotSinkBit(k)));
    }
    const counted = [lane.input, lane.decoder, lane.filter, this.project!];
    for (const node of counted) node.metrics.pass = this.pass;
  }

  /**
   * The rule's path for a family of rules alike (`routed_family.ts`), when every result of it
   * can leave at once through a sink that sends as any sink with equal props: its key names
   * the rest of its WHERE, its projection and its sinks. Compiled expressions are shared
   * between rules (`expr/shared_compile.ts`), so equal texts are one evaluator.
   */
  private routedPath(lane: SourceLane): RoutedPath | undefined {
    const project = this.project!;
    const projection = project.single ? project.shareKey() : undefined;
    const sinks = this.sinks;
    if (projection === undefined || sinks.length > MAX_FAMILY_SINKS) return undefined;
    const senders: DirectSend[] = [];
    const keys: string[] = [];
    for (const s of sinks) {
      const key = s.sharedKey();
      if (key === undefined) return undefined;
      senders.push(s.direct!);
      keys.push(key);
    }
    const judge = lane.plan.dispatch!.routed!.condition;
    return {
      key: `${judge ? objectId(judge) : "-"}\0${projection}\0${keys.join("\0")}`,
      judge,
      project,
      senders,
      slot: new RoutedSlot(this.ctx, sinks.map((s) => s.pass), sinks),
    };
  }

  /** One routed, judged message through the rest of the pipeline (the decoder's and the
   * filter's work is done: the fan-out decoded and judged it). False when it must wait in the
   * buffer: a sink is full, or the rule is in a run already (a sink feeding its own source).
   *
   * A message that makes its one row counts once for source, decoder, filter and project
   * together (`pass`), and its sinks do the same: with 100 rules each message reached seven
   * nodes' counters of a rule, each a cold object, and that bookkeeping was ~12 % of the rule's
   * cost (bench/RESULTS.md, session 16). Once per LATENCY_SAMPLE_MS a message goes the counted,
   * timed way, so every node's latency stays sampled. */
  private runRouted(lane: SourceLane, t: Tuple, msg: RawMessage): boolean {
    if (!this.running || this.inTurn) return false;
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) if (sinks[i].isFull()) return false;
    // The read time of the message stands for the clock (read once per socket read).
    const now = msg.timestamp;
    const project = this.project!;
    this.setInTurn(true);
    try {
      const timed = !(now < this.untimedUntil);
      if (timed) this.untimedUntil = now + LATENCY_SAMPLE_MS;
      else if (project.single) {
        let row: Row;
        try {
          row = project.row(t, this.ctx);
        } catch (e) {
          this.countRouted(lane, now);
          recordStep(project.metrics, -1, 1, 0, now);
          this.ctx.error(project.metrics, (e as Error).message);
          return true;
        }
        const pass = this.pass;
        pass.n++;
        pass.at = now;
        for (let i = 0; i < sinks.length; i++) sinks[i].collectRow(row, now);
        return true;
      }
      this.countRouted(lane, now);
      const one = this.one;
      one[0] = t;
      const rows = this.step(project, one, now);
      for (let i = 0; i < sinks.length; i++) sinks[i].collectEach(rows, now);
    } catch (e) {
      // Not expected (steps count their own errors), and never the fan-out's other rules' loss.
      this.ctx.error(project.metrics, errorMessage(e));
    } finally {
      this.setInTurn(false);
    }
    return true;
  }

  /** Counts a routed message in the source, decoder and filter one by one. */
  private countRouted(lane: SourceLane, now: number): void {
    recordStep(lane.input.metrics, -1, 1, 1, now);
    recordStep(lane.decoder.metrics, -1, 1, 1, now);
    recordStep(lane.filter!.metrics, -1, 1, 1, now);
  }

  private setInTurn(on: boolean): void {
    this.inTurn = on;
    this.slot?.set(SLOT_IN_TURN, on);
  }

  start(): void {
    for (const s of this.sinks) s.open();
    for (const lane of this.lanes) {
      const stream = lane.plan.stream;
      lane.attachment = this.deps.hub.attach(lane.spec, lane.props, {
        ruleId: this.rule.id,
        streamName: stream.name,
        shared: optionBool(stream, "SHARED"),
        input: lane.input,
      });
    }
    this.running = true;
    this.slot?.set(SLOT_STOPPED, false);
    this.ctx.ruleStart = this.deps.scheduler.clock.now();
    this.windowStage?.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.slot?.set(SLOT_STOPPED, true);
    const detaching = this.lanes.map((lane) => {
      const a = lane.attachment;
      lane.attachment = undefined;
      lane.input.close();
      return a?.detach();
    });
    this.windowStage?.stop();
    this.hold?.stop();
    await Promise.all(detaching);
    // Results already computed get a short grace period to leave before the sinks close.
    await Promise.all(this.sinks.map((s) => s.drain(2000)));
    await Promise.all(this.sinks.map((s) => s.close()));
  }

  runnable(): boolean {
    if (!this.running || this.hold?.paused) return false;
    const lanes = this.lanes;
    let input = false;
    for (let i = 0; i < lanes.length && !input; i++) input = lanes[i].input.buffer.length > 0;
    if (!input) return false;
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) if (sinks[i].isFull()) return false;
    return true;
  }

  runOnce(): void {
    // One batch from the next lane that has data: sources take turns.
    const count = this.lanes.length;
    for (let i = 0; i < count; i++) {
      const lane = this.lanes[(this.nextLane + i) % count];
      if (lane.input.buffer.length === 0) continue;
      this.nextLane = (this.nextLane + i + 1) % count;
      this.setInTurn(true);
      try {
        this.runLane(lane);
      } finally {
        this.setInTurn(false);
      }
      this.hold?.endTurn();
      return;
    }
  }

  private runLane(lane: SourceLane): void {
    const batch = this.batch;
    batch.length = 0;
    lane.input.take(batch, this.hold ? 1 : BATCH_SIZE);
    const now = this.deps.scheduler.now();
    let tuples = this.step(lane.decoder, batch, now);
    if (lane.eventTime) tuples = lane.eventTime.process(tuples, this.ctx);
    if (lane.analytic) tuples = this.step(lane.analytic, tuples, now);
    if (lane.filter) tuples = this.step(lane.filter, tuples, now);
    if (lane.table) {
      lane.table.add(tuples);
      return;
    }
    if (lane.lookup) {
      lane.lookup.add(tuples);
      return;
    }
    if (this.windowStage) {
      if (tuples.length === 0) return;
      // A window holding columns takes only those; one holding tuples keeps pruned copies.
      const keep = "keep" in lane.plan && !this.plan.window?.columns ? lane.plan.keep : undefined;
      this.windowStage.push(keep ? tuples.map((t) => pruned(t, keep)) : tuples, now);
      return;
    }
    if (this.order) tuples = this.step(this.order, tuples, now);
    if (tuples.length === 0) return;
    // Without a window every input tuple is its own emission: an array of one row.
    const rows = this.step(this.project!, tuples, now);
    if (this.hold) { for (const row of rows) this.hold.emit([row], now); }
    else for (const s of this.sinks) s.collectEach(rows, now);
  }

  private emit(rows: Row[], now: number): void {
    if (this.hold) this.hold.emit(rows, now);
    else for (const s of this.sinks) s.collect(rows, now);
  }

  private step<I, O>(
    op: { metrics: NodeMetrics; process(b: I[], c: OpContext): O[] },
    input: I[],
    now: number,
  ): O[] {
    return timedStep(op, input, this.ctx, now);
  }

  private logError(node: string, message: string): void {
    const second = Math.floor(Date.now() / 1000);
    const w = this.logWindow.get(node);
    if (!w || w.second !== second) this.logWindow.set(node, { second, count: 1 });
    else if (++w.count > ERROR_LOG_PER_SECOND) return;
    this.deps.logger.warn(`${node}: ${message}`);
  }

  /** Metrics in topological order, eKuiper's keys. */
  metrics(out: Record<string, unknown>): void {
    for (const m of this.nodes()) m.snapshot(out);
  }

  /** The nodes after the source lanes, up to the project. */
  private tail(): NodeMetrics[] {
    const list: NodeMetrics[] = [];
    if (this.windowStage) list.push(...this.windowStage.nodes());
    if (this.order) list.push(this.order.metrics);
    if (this.project) list.push(this.project.metrics);
    return list;
  }

  private nodes(): NodeMetrics[] {
    const list = [...this.lanes.flatMap((l) => l.nodes()), ...this.tail()];
    for (const s of this.sinks) list.push(...s.operators, s.metrics);
    return list;
  }

  /** `GET /rules/{id}/topo`: topology node names (without the `_0` instance suffix). */
  topo(): { sources: string[]; edges: Record<string, string[]> } {
    const edges: Record<string, string[]> = {};
    const link = (from: NodeMetrics, to: NodeMetrics) => {
      (edges[from.name] ??= []).push(to.name);
    };
    const tail = this.tail();
    for (const lane of this.lanes) {
      const chain = lane.nodes();
      for (let i = 0; i + 1 < chain.length; i++) link(chain[i], chain[i + 1]);
      link(chain[chain.length - 1], tail[0]);
    }
    for (let i = 0; i + 1 < tail.length; i++) link(tail[i], tail[i + 1]);
    const last = tail[tail.length - 1];
    for (const s of this.sinks) {
      const ops = [...s.operators, s.metrics];
      link(last, ops[0]);
      for (let i = 0; i + 1 < ops.length; i++) link(ops[i], ops[i + 1]);
    }
    return { sources: this.lanes.map((l) => l.input.metrics.name), edges };
  }
}
