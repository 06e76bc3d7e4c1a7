/**
 * How a SHARED stream's messages reach the rules reading it. Each rule keeps its own bounded
 * buffer (its pace, its backpressure); what is shared is the work before it:
 *
 * - a message is decoded once for all rules (`DecoderOp` leaves the result on it);
 * - rules whose WHERE starts with a pure `expr = constant` have a *gate* (see
 *   `planner/dispatch_key.ts`). Gates with the same `expr` form a group: the group evaluates
 *   `expr` once per message and pushes the message only to the rules whose constant matches.
 *   100 rules `WHERE id % 100 = k AND ...` then cost one evaluation and one buffer push per
 *   message instead of 100 of each.
 *
 * A message routed by value is judged there by each rule it reaches, with the rest of its
 * WHERE (the conjunct as true; see `InputGate.judge`): only the messages a rule passes enter
 * its buffer. A rule then runs only when it has results to make, and its filter passes the
 * tuples marked as routed (`Tuple.routedBy`) without evaluating anything. With 100 rules
 * `... AND temperature > 30`, half the messages routed to a rule used to wake it and be
 * dropped by its filter. A rule that has nothing but its SELECT after the WHERE does not even
 * buffer them: it runs each at once (`InputGate.run`) while its buffer is empty.
 *
 * Rules alike (the same rest of the WHERE, projection and sinks) form a *family* in their group
 * (`routed_family.ts`): a message routed to one of them is judged and run by the family's
 * objects, and only the rule's slot is touched; what the family cannot do at once goes the
 * rule's own way (its judge, then its run).
 *
 * A skipped message, and one a rule's judge rejected, counts in the rule's source, decoder and
 * filter metrics as if the rule had read it and its WHERE had been false (a judge counts its
 * errors in the filter's), so a rule's status reads the same either way.
 * When in doubt (the message does not decode, has several rows, the value has another type
 * than the constant, the evaluation fails) the message goes to every rule of the group, whose
 * own WHERE decides and counts the error.
 *
 * @module
 */
import type { RawMessage } from "../io/types.ts";
import type { EvalContext, Evaluator } from "../expr/types.ts";
import type { Tuple } from "./tuple.ts";
import type { SourceInput } from "./source_input.ts";
import { RoutedFamily, type RoutedPath } from "./routed_family.ts";

/** What a rule's input tells the fan-out to be skipped when its constant cannot match. */
export interface InputGate {
  key: string;
  value: number | string;
  evaluate: Evaluator;
  /** The message's one tuple, decoded once and shared; an Error when it does not decode;
   * undefined when the message holds several rows. */
  tuple(msg: RawMessage): Tuple | Error | undefined;
  /** The rule's verdict on a tuple routed to it by value (its `expr = constant` holds): true
   * when the rest of its WHERE passes it. False when the rest is false or null, or fails (the
   * judge counts the error as the rule's filter would). Absent: every routed tuple passes. */
  judge?: (t: Tuple) => boolean;
  /** Runs the rule on a tuple routed to it (and judged) at once, instead of buffering the
   * message; false when it cannot now (the message is buffered). Called only while the
   * rule's buffer is empty, so that messages stay in order. */
  run?: (t: Tuple, msg: RawMessage) => boolean;
  /** The rule's path for rules alike (`routed_family.ts`): set with `run`, when it has one. */
  path?: RoutedPath;
  /** The family the gate group put it in (by `path.key`). */
  family?: RoutedFamily;
  /** The input this gate is for. */
  input: SourceInput;
}

/** Gate expressions are pure: they read no context. */
const PURE_CONTEXT: EvalContext = { ruleId: "", now: () => Date.now() };

class GateGroup {
  constructor(private readonly key: string) {}

  readonly members = new Map<SourceInput, InputGate>();
  readonly byValue = new Map<number | string, InputGate[]>();
  readonly #families = new Map<string, RoutedFamily>();
  /** Messages this group has routed: a member's skipped count derives from it. */
  seen = 0;
  /** The gate whose decoder and evaluator serve the group (any member's would). */
  #leader: InputGate | undefined;

  add(input: SourceInput, gate: InputGate): void {
    this.members.set(input, gate);
    const list = this.byValue.get(gate.value);
    if (list) list.push(gate);
    else this.byValue.set(gate.value, [gate]);
    const path = gate.path;
    if (path) {
      let family = this.#families.get(path.key);
      if (!family) this.#families.set(path.key, family = new RoutedFamily());
      family.add(path);
      gate.family = family;
    }
    input.countSkipsFrom(() => this.seen);
    this.#leader ??= gate;
    this.#retype();
  }

  remove(input: SourceInput): void {
    const gate = this.members.get(input);
    if (!gate) return;
    this.members.delete(input);
    const list = this.byValue.get(gate.value)!;
    list.splice(list.indexOf(gate), 1);
    if (list.length === 0) this.byValue.delete(gate.value);
    const family = gate.family;
    if (family) {
      family.remove(gate.path!);
      gate.family = undefined;
      if (family.size === 0) this.#families.delete(gate.path!.key);
    }
    input.countSkipsFrom(undefined);
    if (this.#leader === gate) this.#leader = this.members.values().next().value;
    this.#retype();
  }

  /** The tuple the last `route` routed by value (its members' judges decide), else undefined. */
  routed: Tuple | undefined;

  /** The gates of the members `msg` is routed to by value ({@link routed} is then its tuple),
   * or undefined when unsure: it goes to every member. */
  route(msg: RawMessage): InputGate[] | undefined {
    this.seen++;
    this.routed = undefined;
    const gate = this.#leader!;
    const t = gate.tuple(msg);
    if (t === undefined || t instanceof Error) return undefined;
    let v: unknown;
    try {
      v = gate.evaluate(t, PURE_CONTEXT);
    } catch {
      return undefined;
    }
    // `null = k` is false: nobody passes.
    if (v == null) return NONE;
    // Across types `=` is an error (or a conversion): each rule's own WHERE judges that.
    const type = typeof v;
    if (type !== this.#constType) return undefined;
    const matching = this.byValue.get(v as number | string);
    if (matching === undefined) return NONE;
    // The members it reaches compare equal: their judges need not evaluate `expr` again.
    t.routedBy = this.key;
    this.routed = t;
    return matching;
  }

  /** The constants' common type ("mixed" when they differ): kept as members come and go. */
  #constType = "mixed";

  #retype(): void {
    let type: string | undefined;
    for (const value of this.byValue.keys()) {
      const t = typeof value;
      if (type === undefined) type = t;
      else if (t !== type) type = "mixed";
    }
    this.#constType = type ?? "mixed";
  }
}

const NONE: InputGate[] = [];

export class SharedFanout {
  #open = new Set<SourceInput>();
  #groups = new Map<string, GateGroup>();
  #all = new Set<SourceInput>();
  // Arrays of the two above, walked per message without an iterator.
  #openList: SourceInput[] = [];
  #groupList: GateGroup[] = [];
  /** Whether the last emit filled a buffer. */
  filled = false;

  get inputs(): ReadonlySet<SourceInput> {
    return this.#all;
  }

  add(input: SourceInput): void {
    this.#all.add(input);
    const gate = input.gate;
    if (!gate) {
      this.#open.add(input);
      return this.#relist();
    }
    let g = this.#groups.get(gate.key);
    if (!g) this.#groups.set(gate.key, g = new GateGroup(gate.key));
    g.add(input, gate);
    this.#relist();
  }

  #relist(): void {
    this.#openList = [...this.#open];
    this.#groupList = [...this.#groups.values()];
  }

  delete(input: SourceInput): void {
    this.#all.delete(input);
    this.#open.delete(input);
    const gate = input.gate;
    const g = gate && this.#groups.get(gate.key);
    if (g) {
      g.remove(input);
      if (g.members.size === 0) this.#groups.delete(gate.key);
    }
    this.#relist();
  }

  /** Pushes `msg` to the rules that may need it. False when a buffer refused it (full, with
   * the "reject" policy: a push endpoint answers 503); a message no rule needed is not refused. */
  emit(msg: RawMessage): boolean {
    let refused = false;
    const open = this.#openList;
    for (let i = 0; i < open.length; i++) if (!this.#push(open[i], msg)) refused = true;
    const groups = this.#groupList;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      const gates = group.route(msg);
      if (gates === undefined) {
        for (const input of group.members.keys()) if (!this.#push(input, msg)) refused = true;
        continue;
      }
      // Routed by value: the rule's family, or else its judge, says whether it would pass
      // (skipped otherwise), and a rule that can runs it at once.
      const t = group.routed!;
      for (let j = 0; j < gates.length; j++) {
        const gate = gates[j];
        const family = gate.family;
        if (family !== undefined && family.run(gate.path!.slot, t, msg.timestamp)) continue;
        if (gate.judge !== undefined && !gate.judge(t)) continue;
        const input = gate.input;
        if (gate.run !== undefined && input.buffer.length === 0 && gate.run(t, msg)) continue;
        if (!this.#push(input, msg)) refused = true;
      }
    }
    return !refused;
  }

  #push(input: SourceInput, msg: RawMessage): boolean {
    const ok = input.emit(msg);
    if (input.buffer.isFull()) this.filled = true;
    return ok;
  }
}
