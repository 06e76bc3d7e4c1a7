/**
 * Rules: creation, validation, persistence and lifecycle (eKuiper's rule registry and state
 * machine). A rule's raw JSON is stored as submitted, with `triggered` rewritten by start/stop;
 * at boot every stored rule whose `triggered` is not false starts again, so an appliance needs
 * no cron and no REST call after a reboot or a crash.
 */
import type { KvStore } from "../store/kv_store.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { BadRequestError, ErrorCode, errorMessage, NotFoundError, PlanError } from "../errors.ts";
import { explainRule, planRule } from "../planner/plan_rule.ts";
import type { RulePlan } from "../planner/rule_plan.ts";
import type { SelectStatement } from "../sql/ast.ts";
import { parseSelect } from "../../grammar/mod.ts";
import { builtinFunctions } from "../functions/mod.ts";
import { preloadCalledFunctions } from "../functions/preload.ts";
import { RuleRuntime, type RuleRuntimeDeps } from "../runtime/rule_runtime.ts";
import { validateSinkProps } from "../runtime/sink_props.ts";
import { dropRuleCaches } from "../runtime/sink_cache_store.ts";
import { getSinkSpec, getSourceSpec } from "../io/mod.ts";
import { sourceType } from "../catalog/stream_def.ts";
import { resolveSourceProps } from "../runtime/source_props.ts";
import { parseRule, type RuleDef } from "./rule_def.ts";
import type { Logger } from "../log.ts";

const NS = "rule";

export type RuleStatus = "running" | "stopped" | "stopped by error";

interface RuleState {
  raw: Record<string, unknown>;
  def: RuleDef;
  status: RuleStatus;
  message: string;
  lastStart: number;
  lastStop: number;
  runtime: RuleRuntime | undefined;
  /** Last metrics, kept when the rule stops so that status still shows them. */
  lastMetrics: Record<string, unknown>;
  streams: string[];
  /** Serialises start/stop/update/delete of one rule. */
  pending: Promise<void>;
}

export class RuleManager {
  private readonly rules = new Map<string, RuleState>();

  constructor(
    private readonly store: KvStore,
    private readonly catalog: Catalog,
    private readonly deps: RuleRuntimeDeps,
    private readonly ruleDefaults: Record<string, unknown>,
    private readonly logger: Logger,
  ) {
    catalog.referencedBy = (name) =>
      [...this.rules.values()].filter((r) => r.streams.includes(name)).map((r) => r.def.id);
  }

  /** Loads stored rules and starts those that were running (the boot-autostart promise). */
  async recover(): Promise<void> {
    for (const [id, raw] of this.store.entries<Record<string, unknown>>(NS)) {
      let def: RuleDef;
      try {
        def = parseRule(raw, this.ruleDefaults);
      } catch (e) {
        this.logger.error(`stored rule ${id} is invalid and is skipped: ${errorMessage(e)}`);
        continue;
      }
      const state = this.newState(raw, def);
      this.rules.set(id, state);
      if (def.triggered) {
        this.logger.info(`recovering rule ${id}`);
        await this.startState(state);
      }
    }
  }

  /** Checks a rule without creating it; returns the streams it reads, and its plan. */
  validate(raw: unknown): { def: RuleDef; streams: string[]; plan: RulePlan } {
    const def = parseRule(raw, this.ruleDefaults);
    const plan = planRule(def.sql, this.catalog, {
      isEventTime: def.options.isEventTime,
      planOptimizeStrategy: def.options.planOptimizeStrategy,
    });
    for (const { stream } of plan.sources) {
      try {
        getSourceSpec(sourceType(stream))!.validate?.(
          resolveSourceProps(stream, this.deps.confKeys),
        );
      } catch (e) {
        if (e instanceof PlanError) throw e;
        throw new PlanError(`stream ${stream.name}: ${errorMessage(e)}`, ErrorCode.stream);
      }
    }
    for (const [i, a] of def.actions.entries()) {
      const spec = getSinkSpec(a.type);
      if (!spec) throw new PlanError(`sink ${a.type} is not defined`, ErrorCode.rule);
      try {
        spec.validate?.(this.deps.confKeys.resolveSink(a.type, a.props));
      } catch (e) {
        throw new BadRequestError(`invalid action ${a.type} (${i}): ${errorMessage(e)}`);
      }
      try {
        validateSinkProps(a.props);
      } catch (e) {
        throw new BadRequestError(
          `invalid action ${a.type} (${i}): ${errorMessage(e)}`,
          ErrorCode.rule,
        );
      }
    }
    return { def, streams: plan.sources.map((p) => p.stream.name), plan };
  }

  async create(raw: unknown): Promise<string> {
    const { def, plan } = this.validate(raw);
    if (this.rules.has(def.id)) throw new BadRequestError(`rule ${def.id} already exists`, 4000);
    const stored = raw as Record<string, unknown>;
    this.store.set(NS, def.id, stored);
    const state = this.newState(stored, def, plan.stmt);
    this.rules.set(def.id, state);
    // The first start uses the plan just checked (planning is most of a creation's work): it runs
    // a microtask later, before another request can change the catalog.
    if (def.triggered) await this.enqueue(state, () => this.startState(state, plan));
    return `Rule ${def.id} was created successfully.`;
  }

  /** PUT: replaces (and restarts) an existing rule, or creates it. */
  async update(id: string, raw: unknown): Promise<string> {
    const { def } = this.validate(raw);
    if (def.id !== id) throw new BadRequestError("RuleId is not consistent with rule id.", 4000);
    const old = this.rules.get(id);
    if (!old) {
      await this.create(raw);
      return `Rule ${id} was updated successfully.`;
    }
    const stored = raw as Record<string, unknown>;
    this.store.set(NS, id, stored);
    await this.enqueue(old, async () => {
      await this.stopState(old, "stopped");
      old.raw = stored;
      old.def = def;
      old.streams = streamsOf(def);
      if (def.triggered) await this.startState(old);
    });
    return `Rule ${id} was updated successfully.`;
  }

  async delete(id: string): Promise<string> {
    const state = this.must(id);
    await this.enqueue(state, () => this.stopState(state, "stopped"));
    this.rules.delete(id);
    this.store.delete(NS, id);
    await dropRuleCaches(id);
    return `Rule ${id} is dropped.`;
  }

  async start(id: string): Promise<string> {
    const state = this.must(id);
    this.setTriggered(state, true);
    await this.enqueue(state, async () => {
      if (state.status !== "running") await this.startState(state);
    });
    return `Rule ${id} was started`;
  }

  async stop(id: string): Promise<string> {
    const state = this.must(id);
    this.setTriggered(state, false);
    await this.enqueue(state, () => this.stopState(state, "stopped"));
    return `Rule ${id} was stopped.`;
  }

  async restart(id: string): Promise<string> {
    const state = this.must(id);
    this.setTriggered(state, true);
    await this.enqueue(state, async () => {
      await this.stopState(state, "stopped");
      state.def = parseRule(state.raw, this.ruleDefaults);
      await this.startState(state);
    });
    return `Rule ${id} was restarted`;
  }

  list(): {
    id: string;
    name: string;
    status: string;
    version?: string;
    trace: boolean;
    tags: string[];
  }[] {
    return [...this.rules.values()]
      .sort((a, b) => a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0)
      .map((r) => ({
        id: r.def.id,
        name: r.def.name ?? r.def.id,
        status: r.status,
        ...(r.def.version ? { version: r.def.version } : {}),
        trace: false,
        tags: r.def.tags,
      }));
  }

  raw(id: string): Record<string, unknown> {
    return this.must(id).raw;
  }

  status(id: string): Record<string, unknown> {
    const s = this.must(id);
    const out: Record<string, unknown> = {
      status: s.status,
      message: s.message,
      lastStartTimestamp: s.lastStart,
      lastStopTimestamp: s.lastStop,
      nextStartTimestamp: 0,
    };
    if (s.runtime) s.runtime.metrics(out);
    else Object.assign(out, s.lastMetrics);
    return out;
  }

  /** The logical plan of a rule, in eKuiper's EXPLAIN layout; running or not. */
  explain(id: string): string {
    const s = this.must(id);
    return explainRule(s.def.sql, this.catalog, {
      isEventTime: s.def.options.isEventTime,
      planOptimizeStrategy: s.def.options.planOptimizeStrategy,
    });
  }

  topo(id: string): unknown {
    const s = this.must(id);
    if (!s.runtime) throw new BadRequestError(`rule ${id} is not running`, 4000);
    return s.runtime.topo();
  }

  async shutdown(): Promise<void> {
    await Promise.all(
      [...this.rules.values()].map((s) => this.enqueue(s, () => this.stopState(s, s.status))),
    );
  }

  private newState(raw: Record<string, unknown>, def: RuleDef, stmt?: SelectStatement): RuleState {
    return {
      raw,
      def,
      status: "stopped",
      message: "",
      lastStart: 0,
      lastStop: 0,
      runtime: undefined,
      lastMetrics: {},
      streams: stmt ? streamsIn(stmt) : streamsOf(def),
      pending: Promise.resolve(),
    };
  }

  private must(id: string): RuleState {
    const s = this.rules.get(id);
    if (!s) throw new NotFoundError(`rule ${id} not found`);
    return s;
  }

  private setTriggered(state: RuleState, triggered: boolean): void {
    if (state.def.triggered === triggered && state.raw.triggered === triggered) return;
    state.def.triggered = triggered;
    state.raw = { ...state.raw, triggered };
    this.store.set(NS, state.def.id, state.raw);
  }

  private enqueue(state: RuleState, fn: () => Promise<void>): Promise<void> {
    const next = state.pending.then(fn, fn);
    state.pending = next.catch(() => {});
    return next;
  }

  /** Starts the rule, with `planned` (its plan, made from its definition and the current
   * catalog) or a plan made now. */
  private async startState(state: RuleState, planned?: RulePlan): Promise<void> {
    if (state.runtime) return;
    try {
      const plan = planned ?? planRule(state.def.sql, this.catalog, {
        isEventTime: state.def.options.isEventTime,
        planOptimizeStrategy: state.def.options.planOptimizeStrategy,
      });
      state.streams = plan.sources.map((p) => p.stream.name);
      await preloadCalledFunctions(plan.stmt, builtinFunctions);
      const runtime = new RuleRuntime(state.def, plan, {
        ...this.deps,
        logger: this.logger.child(state.def.id),
      });
      runtime.start();
      state.runtime = runtime;
      state.status = "running";
      state.message = "";
      state.lastStart = Date.now();
    } catch (e) {
      state.status = "stopped by error";
      state.message = errorMessage(e);
      state.lastStop = Date.now();
      this.logger.error(`rule ${state.def.id} cannot start: ${state.message}`);
    }
  }

  private async stopState(state: RuleState, status: RuleStatus): Promise<void> {
    const rt = state.runtime;
    if (!rt) {
      state.status = status;
      return;
    }
    state.runtime = undefined;
    await rt.stop();
    const snapshot: Record<string, unknown> = {};
    rt.metrics(snapshot);
    state.lastMetrics = snapshot;
    state.status = status;
    state.lastStop = Date.now();
  }
}

/** The streams a rule reads, from its FROM and JOIN clauses. */
function streamsOf(def: RuleDef): string[] {
  try {
    return streamsIn(parseSelect(def.sql));
  } catch {
    return [];
  }
}

function streamsIn(stmt: SelectStatement): string[] {
  return [stmt.from.name, ...stmt.joins.map((j) => j.source.name)];
}
