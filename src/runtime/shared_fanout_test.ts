import { expect } from "expect";
import { SharedFanout } from "./shared_fanout.ts";
import { SourceInput } from "./source_input.ts";
import type { RawMessage } from "../io/types.ts";
import type { Tuple } from "./tuple.ts";

/** Messages carry their decoded row directly; `bad` does not decode, `many` has two rows. */
type Msg = RawMessage & { row?: Record<string, unknown>; bad?: boolean; many?: boolean };

function tupleOf(m: Msg): Tuple | Error | undefined {
  if (m.bad) return new Error("invalid json");
  if (m.many) return undefined;
  return { emitter: "s", message: m.row!, meta: undefined, timestamp: m.timestamp };
}

function gated(value: number | string, key = "s|id%10") {
  const input = new SourceInput("s", 100, "dropOldest", () => {});
  input.gate = {
    key,
    value,
    evaluate: (t) => {
      const id = t.message.id;
      if (typeof id === "string") return id;
      if (id === "boom") throw new Error("boom");
      return id == null ? null : (id as number) % 10;
    },
    tuple: (m) => tupleOf(m as Msg),
    input,
  };
  return input;
}

const msg = (row: Record<string, unknown>, extra: Partial<Msg> = {}): Msg => ({
  row,
  timestamp: 0,
  ...extra,
});

function taken(input: SourceInput): unknown[] {
  const out: RawMessage[] = [];
  input.take(out, 100);
  return out.map((m) => (m as Msg).row?.id);
}

Deno.test("shared fan-out: gated rules get only the messages their constant matches", () => {
  const f = new SharedFanout();
  const rules = Array.from({ length: 10 }, (_, k) => gated(k));
  const open = new SourceInput("s", 100, "dropOldest", () => {});
  for (const r of rules) f.add(r);
  f.add(open);
  for (let id = 0; id < 30; id++) f.emit(msg({ id }));
  expect(taken(rules[3])).toEqual([3, 13, 23]);
  expect(taken(open).length).toBe(30);
  // Each gated rule counts all 30 messages: 3 received, 27 skipped.
  expect(rules[3].metrics.recordsIn).toBe(3);
  expect(rules[3].skipped()).toBe(27);
  const stats: Record<string, unknown> = {};
  rules[3].metrics.skipped = { count: () => rules[3].skipped(), out: true };
  rules[3].metrics.snapshot(stats);
  expect(stats.source_s_0_records_in_total).toBe(30);
});

Deno.test("shared fan-out: when unsure, every gated rule gets the message", () => {
  const f = new SharedFanout();
  const a = gated(1), b = gated(2);
  f.add(a);
  f.add(b);
  f.emit(msg({ id: null })); // null = k is false: nobody
  f.emit(msg({ id: "1" })); // a string against numeric constants: each rule judges
  f.emit(msg({}, { bad: true })); // does not decode: each rule counts the error
  f.emit(msg({ id: 1 }, { many: true })); // several rows: each rule filters them
  expect(taken(a)).toEqual(["1", undefined, 1]);
  expect(taken(b)).toEqual(["1", undefined, 1]);
  expect(a.skipped()).toBe(1);
});

Deno.test("shared fan-out: constants of mixed types disable skipping for the group", () => {
  const f = new SharedFanout();
  const n = gated(1), s = gated("1");
  f.add(n);
  f.add(s);
  f.emit(msg({ id: 5 }));
  expect(taken(n)).toEqual([5]);
  expect(taken(s)).toEqual([5]);
  f.delete(s);
  f.emit(msg({ id: 6 }));
  expect(taken(n)).toEqual([]); // numeric constants only again
});

Deno.test("shared fan-out: a rule leaving keeps its counts; others are unaffected", () => {
  const f = new SharedFanout();
  const a = gated(1), b = gated(2);
  f.add(a);
  f.add(b);
  for (let id = 0; id < 10; id++) f.emit(msg({ id }));
  f.delete(a);
  for (let id = 0; id < 10; id++) f.emit(msg({ id }));
  expect(a.skipped()).toBe(9);
  expect(b.skipped()).toBe(18);
  expect(taken(b)).toEqual([2, 2]);
});

Deno.test("shared fan-out: a message routed by value is marked for the rules it reaches", () => {
  const tuples = new Map<RawMessage, Tuple>();
  const cached = (input: SourceInput): SourceInput => {
    const gate = input.gate!;
    input.gate = {
      ...gate,
      tuple: (m) => {
        let t = tuples.get(m);
        if (!t) tuples.set(m, t = tupleOf(m as Msg) as Tuple);
        return t;
      },
    };
    return input;
  };
  const f = new SharedFanout();
  const a = cached(gated(1)), b = cached(gated(2));
  f.add(a);
  f.add(b);
  const routed = msg({ id: 11 });
  const unsure = msg({ id: "1" });
  const nobody = msg({ id: 15 });
  for (const m of [routed, unsure, nobody]) f.emit(m);
  expect(taken(a)).toEqual([11, "1"]);
  // Only where `id % 10 = 1` was decided by the group may the rule skip evaluating it.
  expect(tuples.get(routed)!.routedBy).toBe("s|id%10");
  expect(tuples.get(unsure)!.routedBy).toBeUndefined();
  expect(tuples.get(nobody)!.routedBy).toBeUndefined();
});

Deno.test("shared fan-out: a routed message enters only the buffers of the rules whose judge passes it", () => {
  const f = new SharedFanout();
  const judged: unknown[] = [];
  let errors = 0;
  // WHERE id % 10 = 1 AND temp > 30, the rest judged in the fan-out; `temp: "x"` fails (a
  // judge counts the error itself, as the rule's filter would).
  const a = gated(1);
  a.gate!.judge = (t) => {
    judged.push(t.message.id);
    if (typeof t.message.temp === "string") return errors++, false;
    return (t.message.temp as number) > 30;
  };
  // The same constant without a judge: every routed message passes.
  const b = gated(1);
  f.add(a);
  f.add(b);
  f.emit(msg({ id: 1, temp: 40 }));
  f.emit(msg({ id: 11, temp: 20 }));
  f.emit(msg({ id: 2, temp: 40 })); // routed to nobody: not judged
  f.emit(msg({ id: "1", temp: 40 })); // unsure: every member gets it, its filter judges
  f.emit(msg({ id: 21, temp: "x" }));
  expect(judged).toEqual([1, 11, 21]);
  expect(errors).toBe(1);
  expect(taken(a)).toEqual([1, "1"]);
  expect(taken(b)).toEqual([1, 11, "1", 21]);
  // Rejected messages read as skipped: as if the rule's WHERE had been false.
  expect(a.skipped()).toBe(3);
});

Deno.test("shared fan-out: a message no rule needs is not refused; a full buffer refuses", () => {
  const f = new SharedFanout();
  const small = new SourceInput("s", 1, "reject", () => {});
  small.gate = { ...gated(1).gate!, input: small };
  f.add(small);
  // Skipped by every rule (a push endpoint must not answer 503 for it).
  expect(f.emit(msg({ id: 2 }))).toBe(true);
  expect(f.emit(msg({ id: 1 }))).toBe(true);
  // The rule's one slot is taken: refused.
  expect(f.emit(msg({ id: 11 }))).toBe(false);
  expect(f.emit(msg({ id: 12 }))).toBe(true);
});
