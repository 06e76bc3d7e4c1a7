import { expect } from "expect";
import type { Expr, WindowExpr, WindowType } from "../../sql/ast.ts";
import { compileExpr } from "../../expr/compile.ts";
import { bin, CTX, field, int, SPAN, str, testScope, unit } from "../../expr/_test_ast.ts";
import type { Tuple } from "../tuple.ts";
import { WindowOperator, type WindowOptions } from "./operator.ts";
import { type WindowSpec, WindowSpecError, windowSpecFromAst } from "./spec.ts";
import { WindowStateError } from "./types.ts";
import { drive, row, summarize, UTC } from "./_test_util.ts";

const compile = (e: Expr) => {
  const c = compileExpr(e, testScope());
  return (t: Tuple) => c.eval(t, CTX);
};

function win(windowType: WindowType, args: Expr[], extra: Partial<WindowExpr> = {}): WindowExpr {
  return { kind: "Window", windowType, args, span: SPAN, ...extra };
}

Deno.test("spec from AST: time windows and their argument order", () => {
  expect(windowSpecFromAst(win("TUMBLING_WINDOW", [unit("SS"), int(10)]), compile)).toEqual({
    type: "tumbling",
    unit: "SS",
    length: 10,
  });
  expect(windowSpecFromAst(win("HOPPING_WINDOW", [unit("MI"), int(10), int(5)]), compile))
    .toEqual({ type: "hopping", unit: "MI", length: 10, hop: 5 });
  // SESSIONWINDOW(unit, maxDuration, timeout), SPEC §5.1 / eKuiper's WindowConfig.
  expect(windowSpecFromAst(win("SESSION_WINDOW", [unit("MI"), int(2), int(1)]), compile))
    .toEqual({ type: "session", unit: "MI", maxDuration: 2, timeout: 1 });
  expect(windowSpecFromAst(win("COUNT_WINDOW", [int(5)]), compile)).toEqual({
    type: "count",
    size: 5,
    interval: 5,
  });
});

Deno.test("spec from AST: conditions are compiled (FILTER, OVER WHEN, state, PARTITION BY)", () => {
  const sliding = windowSpecFromAst(
    win("SLIDING_WINDOW", [unit("SS"), int(5)], {
      filter: bin("=", field("color"), str("red")),
      trigger: bin("=", field("size"), int(1)),
    }),
    compile,
  );
  if (sliding.type !== "sliding") throw new Error("expected sliding");
  expect(sliding.delay).toBe(0);
  expect(sliding.filter!(row(0, { color: "red" }))).toBe(true);
  expect(sliding.trigger!(row(0, { size: 2 }))).toBe(false);

  const state = windowSpecFromAst(
    win("STATE_WINDOW", [bin(">", field("a"), int(1)), bin("<", field("a"), int(0))], {
      partitionBy: [field("id")],
    }),
    compile,
  );
  if (state.type !== "state") throw new Error("expected state");
  expect(state.begin(row(0, { a: 2 }))).toBe(true);
  expect(state.emit!(row(0, { a: -1 }))).toBe(true);
  expect(state.partitionBy![0](row(0, { id: "x" }))).toBe("x");
});

Deno.test("spec from AST: bad arguments are clear errors", () => {
  expect(() => windowSpecFromAst(win("COUNT_WINDOW", [int(2), int(3)]), compile)).toThrow(
    "The second parameter value 3 should be less than the first parameter 2.",
  );
  expect(() => windowSpecFromAst(win("TUMBLING_WINDOW", [int(10)]), compile)).toThrow(
    WindowSpecError,
  );
  expect(() => windowSpecFromAst(win("HOPPING_WINDOW", [unit("SS"), int(10), int(0)]), compile))
    .toThrow("argument 3 of the window must be an integer literal >= 1");
});

interface RoundTrip {
  name: string;
  spec: WindowSpec;
  options?: WindowOptions;
  rows: number[];
}

const is = (field: string, v: unknown) => (t: Tuple) => t.message[field] === v;

const ROUND_TRIPS: RoundTrip[] = [
  {
    name: "tumbling",
    spec: { type: "tumbling", unit: "SS", length: 1 },
    rows: [100, 700, 1_300, 2_100, 2_900],
  },
  {
    name: "hopping",
    spec: { type: "hopping", unit: "SS", length: 2, hop: 1 },
    rows: [100, 700, 1_300, 2_100, 2_900],
  },
  {
    name: "sliding with delay",
    spec: { type: "sliding", unit: "SS", length: 1, delay: 1 },
    rows: [100, 700, 1_300, 2_100, 2_900],
  },
  {
    name: "session",
    spec: { type: "session", unit: "SS", maxDuration: 2, timeout: 1 },
    rows: [100, 700, 1_300, 2_500, 4_000],
  },
  {
    name: "count",
    spec: { type: "count", size: 3, interval: 2 },
    rows: [100, 700, 1_300, 2_100, 2_900],
  },
  {
    name: "state with partitions",
    spec: {
      type: "state",
      begin: is("s", "b"),
      emit: is("s", "e"),
      partitionBy: [(t) => t.message.k],
    },
    rows: [100, 700, 1_300, 2_100, 2_900],
  },
  {
    name: "tumbling in event time",
    spec: { type: "tumbling", unit: "SS", length: 1 },
    options: { isEventTime: true, lateTolerance: 500 },
    rows: [100, 1_300, 700, 2_100, 200, 2_900, 4_000],
  },
];

/** Row payloads that make the state window do something. */
const payload = (i: number) => ({ s: ["b", "x", "e"][i % 3], k: i % 2 });

for (const c of ROUND_TRIPS) {
  Deno.test(`snapshot/restore round trip through JSON: ${c.name}`, () => {
    const options = { startTime: 0, timezone: UTC, ...c.options };
    const rows = c.rows.map((t, i) => row(t, payload(i)));
    const cut = 2;
    const whole = drive(new WindowOperator(c.spec, options), rows, 10_000);

    const first = new WindowOperator(c.spec, options);
    const before = drive(first, rows.slice(0, cut), rows[cut - 1].timestamp);
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    const second = new WindowOperator(c.spec, options);
    second.restore(saved);
    expect(second.bufferedCount()).toBe(first.bufferedCount());
    const after = drive(second, rows.slice(cut), 10_000);
    expect(summarize([...before, ...after])).toEqual(summarize(whole));
    expect(whole.length).toBeGreaterThan(0);
  });
}

Deno.test("restore refuses a state of another window kind or time mode", () => {
  const tumbling = new WindowOperator({ type: "tumbling", unit: "SS", length: 1 });
  const count = new WindowOperator({ type: "count", size: 2, interval: 2 });
  expect(() => count.restore(tumbling.snapshot())).toThrow(WindowStateError);
  const eventTime = new WindowOperator({ type: "tumbling", unit: "SS", length: 1 }, {
    isEventTime: true,
  });
  expect(() => eventTime.restore(tumbling.snapshot())).toThrow("isEventTime");
});

Deno.test("event time: without new data the last window stays open (eKuiper behaviour)", () => {
  const op = new WindowOperator({ type: "tumbling", unit: "SS", length: 10 }, {
    isEventTime: true,
    timezone: UTC,
  });
  expect(op.push([row(1_000), row(5_000)], 100_000)).toEqual([]);
  expect(op.nextDeadline()).toBeUndefined();
  expect(op.onTime(1_000_000)).toEqual([]);
  expect(op.bufferedCount()).toBe(2);
});

Deno.test("event time with watermarkIdleTimeout: the last window closes without new data", () => {
  const op = new WindowOperator({ type: "tumbling", unit: "SS", length: 10 }, {
    isEventTime: true,
    lateTolerance: 1_000,
    watermarkIdleTimeout: 3_000,
    timezone: UTC,
  });
  // Wall clock 100 000; event time around 1 000–5 000 (a replay).
  expect(op.push([row(1_000), row(5_000)], 100_000)).toEqual([]);
  expect(op.nextDeadline()).toBe(103_000); // goes idle
  expect(op.onTime(103_000)).toEqual([]); // watermark 5 000 + 3 000 − 1 000 = 7 000
  // The window [1 000, 10 000) closes when 5 000 + (now − 100 000) − 1 000 ≥ 10 000.
  expect(op.nextDeadline()).toBe(106_000);
  expect(summarize(op.onTime(106_000))).toEqual([[1_000, 10_000, [1_000, 5_000]]]);
  expect(op.bufferedCount()).toBe(0);
  expect(op.nextDeadline()).toBe(116_000); // the next (empty) window, [10 000, 20 000)
});

Deno.test("event time: a late row is counted and never reaches a window", () => {
  const op = new WindowOperator({ type: "count", size: 1, interval: 1 }, {
    isEventTime: true,
    lateTolerance: 0,
  });
  const out = op.push([row(1_000), row(2_000), row(500), row(3_000)], 0);
  expect(out.map((w) => w.rows[0].timestamp)).toEqual([1_000, 2_000, 3_000]);
  expect(op.lateDropped()).toBe(1);
  expect(op.bufferedCount()).toBe(0);
  expect(op.currentWatermark()).toBe(3_000);
});

Deno.test("event time: negative lateTolerance falls back to 1 s", () => {
  const op = new WindowOperator({ type: "count", size: 1, interval: 1 }, {
    isEventTime: true,
    lateTolerance: -5,
  });
  op.push([row(5_000)], 0);
  expect(op.currentWatermark()).toBe(4_000);
});

Deno.test("processing time: FILTER drops rows before the window", () => {
  const op = new WindowOperator({
    type: "tumbling",
    unit: "SS",
    length: 1,
    filter: (t) => t.message.keep === true,
  }, { startTime: 0, timezone: UTC });
  op.push([row(100, { keep: true }), row(200, { keep: false })], 200);
  expect(op.bufferedCount()).toBe(1);
  expect(op.onTime(1_000)[0].rows.length).toBe(1);
});

Deno.test("a row without a finite timestamp is reported and skipped", () => {
  for (const isEventTime of [false, true]) {
    const errors: string[] = [];
    const op = new WindowOperator({ type: "count", size: 1, interval: 1 }, {
      isEventTime,
      lateTolerance: 0,
      onError: (m) => errors.push(m),
    });
    const bad = { ...row(0), timestamp: NaN };
    const out = op.push([bad, row(1_000)], 1_000);
    expect(out.map((w) => w.rows[0].timestamp)).toEqual([1_000]);
    expect(errors).toEqual(["window: invalid timestamp NaN, row skipped"]);
  }
});

Deno.test("processing time: start() arms empty windows before any data", () => {
  const op = new WindowOperator({ type: "tumbling", unit: "SS", length: 10 }, { timezone: UTC });
  expect(op.nextDeadline()).toBeUndefined();
  op.start(3_000);
  op.start(7_000); // idempotent
  expect(op.nextDeadline()).toBe(10_000);
  expect(summarize(op.onTime(10_000))).toEqual([[3_000, 10_000, []]]);
});
