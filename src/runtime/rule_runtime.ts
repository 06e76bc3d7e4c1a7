/**
 * A running rule: its topology (source inputs → decoder → filter → project → [order] → sinks)
 * built from the plan, and the scheduler Task that pulls it. Node names follow eKuiper's
 * topology (`source_demo`, `op_2_decoder`, `op_3_filter`, `op_4_project`,
 * `op_mqtt_0_0_transform`, `op_mqtt_0_1_encode`, `sink_mqtt_0`), which is what metric keys in
 * `GET /rules/{id}/status` and `/topo` are made of.
 */
import type { RawMessage, SourceProps } from "../io/types.ts";
import { getSinkSpec, getSourceSpec } from "../io/mod.ts";
import type { RulePlan } from "../planner/plan_rule.ts";
import type { RuleDef } from "../rules/rule_def.ts";
import { optionBool, sourceType } from "../catalog/stream_def.ts";
import type { ConfKeys } from "../config/conf_keys.ts";
import { getFormat } from "../formats/mod.ts";
import { PlanError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "./metrics.ts";
import type { OpContext } from "./operator.ts";
import type { Scheduler, Task } from "./scheduler.ts";
import { SourceInput } from "./source_input.ts";
import type { Attachment, SourceHub } from "./source_hub.ts";
import { resolveSourceProps } from "./source_props.ts";
import { SinkNode } from "./sink_node.ts";
import { DecoderOp } from "./operators/decoder.ts";
import { FilterOp } from "./operators/filter.ts";
import { ProjectOp } from "./operators/project.ts";
import { OrderOp } from "./operators/order.ts";

/** Messages taken from the source buffer per scheduler turn. */
const BATCH_SIZE = 256;
/** At most this many per-record error lines per node per second reach the log. */
const ERROR_LOG_PER_SECOND = 5;

export interface RuleRuntimeDeps {
  scheduler: Scheduler;
  hub: SourceHub;
  confKeys: ConfKeys;
  logger: Logger;
}

export class RuleRuntime implements Task {
  private readonly input: SourceInput;
  private readonly decoder: DecoderOp;
  private readonly filter: FilterOp | undefined;
  private readonly project: ProjectOp;
  private readonly order: OrderOp | undefined;
  private readonly sinks: SinkNode[];
  private readonly ctx: OpContext;
  private attachment: Attachment | undefined;
  private readonly batch: RawMessage[] = [];
  private readonly sourceProps: SourceProps;
  private readonly logWindow = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly rule: RuleDef,
    private readonly plan: RulePlan,
    private readonly deps: RuleRuntimeDeps,
  ) {
    const stream = plan.stream;
    const spec = getSourceSpec(sourceType(stream))!;
    const log = deps.logger;
    this.sourceProps = resolveSourceProps(stream, deps.confKeys);
    const sourceBuffer = this.sourceProps.bufferLength;
    const capacity = typeof sourceBuffer === "number" ? sourceBuffer : rule.options.bufferLength;
    this.input = new SourceInput(
      stream.name,
      capacity,
      spec.overflow ?? "dropOldest",
      () => deps.scheduler.wake(this),
    );
    let n = 2;
    this.decoder = new DecoderOp(`op_${n++}_decoder`, stream.name, plan.format, plan.schema);
    this.filter = plan.filter ? new FilterOp(`op_${n++}_filter`, plan.filter) : undefined;
    this.order = plan.orderBy || plan.limit !== undefined
      ? new OrderOp(`op_${n++}_order`, plan.limit)
      : undefined;
    this.project = new ProjectOp(`op_${n++}_project`, plan.fields, rule.options.sendNilField);
    this.sinks = rule.actions.map((a, i) => {
      const sinkSpec = getSinkSpec(a.type);
      if (!sinkSpec) throw new PlanError(`sink ${a.type} is not defined`, 4000);
      const format = getFormat(String(a.props.format ?? "json"));
      if (!format) throw new PlanError(`invalid action ${a.type}: format ${a.props.format}`, 4000);
      return new SinkNode({
        ruleId: rule.id,
        type: a.type,
        index: i,
        spec: sinkSpec,
        props: a.props,
        format,
        bufferLength: rule.options.bufferLength,
        logger: log.child(`sink_${a.type}_${i}`),
        onDrain: () => deps.scheduler.wake(this),
      });
    });
    const clock = deps.scheduler.clock;
    const sendError = rule.options.sendError;
    this.ctx = {
      ruleId: rule.id,
      now: () => clock.now(),
      error: (node: NodeMetrics, message: string) => {
        node.error(message, clock.now());
        this.logError(node.name, message);
        if (sendError) { for (const s of this.sinks) s.collectError(message, clock.now()); }
      },
    };
  }

  start(): void {
    for (const s of this.sinks) s.open();
    const stream = this.plan.stream;
    const spec = getSourceSpec(sourceType(stream))!;
    this.attachment = this.deps.hub.attach(spec, this.sourceProps, {
      ruleId: this.rule.id,
      streamName: stream.name,
      shared: optionBool(stream, "SHARED"),
      input: this.input,
    });
  }

  async stop(): Promise<void> {
    const a = this.attachment;
    this.attachment = undefined;
    await a?.detach();
    // Results already computed get a short grace period to leave before the sinks close.
    await Promise.all(this.sinks.map((s) => s.drain(2000)));
    await Promise.all(this.sinks.map((s) => s.close()));
  }

  runnable(): boolean {
    if (this.attachment === undefined || this.input.buffer.length === 0) return false;
    for (const s of this.sinks) if (s.isFull()) return false;
    return true;
  }

  runOnce(): void {
    const batch = this.batch;
    batch.length = 0;
    this.input.take(batch, BATCH_SIZE);
    const now = this.deps.scheduler.clock.now();
    let tuples = this.step(this.decoder, batch, now);
    if (this.filter) tuples = this.step(this.filter, tuples, now);
    if (this.order) tuples = this.step(this.order, tuples, now);
    if (tuples.length === 0) return;
    // Without a window every input tuple is its own emission: an array of one row.
    for (const row of this.step(this.project, tuples, now)) {
      for (const s of this.sinks) s.collect([row], now);
    }
  }

  private step<I, O>(
    op: { metrics: NodeMetrics; process(b: I[], c: OpContext): O[] },
    input: I[],
    now: number,
  ): O[] {
    const m = op.metrics;
    const start = performance.now();
    const out = op.process(input, this.ctx);
    m.latencyUs = Math.round((performance.now() - start) * 1000);
    m.recordsIn += input.length;
    m.processed += input.length;
    m.recordsOut += out.length;
    m.lastInvocation = now;
    return out;
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

  /** The rule's operator chain from the source to the project. */
  private chain(): NodeMetrics[] {
    const list: NodeMetrics[] = [this.input.metrics, this.decoder.metrics];
    if (this.filter) list.push(this.filter.metrics);
    if (this.order) list.push(this.order.metrics);
    list.push(this.project.metrics);
    return list;
  }

  private nodes(): NodeMetrics[] {
    const list = this.chain();
    for (const s of this.sinks) {
      list.push(s.transformMetrics);
      if (s.encodeMetrics) list.push(s.encodeMetrics);
      list.push(s.metrics);
    }
    return list;
  }

  /** `GET /rules/{id}/topo`: topology node names (without the `_0` instance suffix). */
  topo(): { sources: string[]; edges: Record<string, string[]> } {
    const chain = this.chain();
    const edges: Record<string, string[]> = {};
    for (let i = 0; i + 1 < chain.length; i++) edges[chain[i].name] = [chain[i + 1].name];
    const last = chain[chain.length - 1].name;
    edges[last] = this.sinks.map((s) => s.transformMetrics.name);
    for (const s of this.sinks) {
      if (s.encodeMetrics) {
        edges[s.transformMetrics.name] = [s.encodeMetrics.name];
        edges[s.encodeMetrics.name] = [s.name];
      } else {
        edges[s.transformMetrics.name] = [s.name];
      }
    }
    return { sources: [this.input.metrics.name], edges };
  }
}
