import { expect } from "expect";
import { parseSelect } from "./mod.ts";
import { sexpr, stripSpans, syntaxError } from "./test_util.ts";

const groupBy = (clause: string) =>
  parseSelect(`SELECT a FROM t GROUP BY ${clause}`).groupBy!.map(sexpr).join(", ");

Deno.test("window forms in GROUP BY", async (t) => {
  const cases: [string, string][] = [
    ["TUMBLINGWINDOW(ss, 10)", "(TUMBLING_WINDOW SS 10)"],
    ["tumblingwindow(SS, 10)", "(TUMBLING_WINDOW SS 10)"],
    ["TumblingWindow(Mi, 1)", "(TUMBLING_WINDOW MI 1)"],
    ["HOPPINGWINDOW(hh, 2, 1)", "(HOPPING_WINDOW HH 2 1)"],
    ["SLIDINGWINDOW(ms, 500)", "(SLIDING_WINDOW MS 500)"],
    ["SLIDINGWINDOW(ss, 10, 2)", "(SLIDING_WINDOW SS 10 2)"],
    ["SLIDINGWINDOW(ss, 10, 0)", "(SLIDING_WINDOW SS 10 0)"],
    ["SLIDINGWINDOW(ss, 10) OVER (WHEN a > 1)", "(SLIDING_WINDOW SS 10 (trigger (> a 1)))"],
    ["SESSIONWINDOW(dd, 2, 1)", "(SESSION_WINDOW DD 2 1)"],
    ["COUNTWINDOW(5)", "(COUNT_WINDOW 5)"],
    ["COUNTWINDOW(5, 2)", "(COUNT_WINDOW 5 2)"],
    ["COUNTWINDOW(5, 5)", "(COUNT_WINDOW 5 5)"],
    ["STATEWINDOW(a > 1)", "(STATE_WINDOW (> a 1))"],
    ["STATEWINDOW(a > 1, a < 0)", "(STATE_WINDOW (> a 1) (< a 0))"],
    [
      "STATEWINDOW(a > 1, a < 0) OVER (PARTITION BY id, zone)",
      "(STATE_WINDOW (> a 1) (< a 0) (partition id zone))",
    ],
    ["TUMBLINGWINDOW(ss, 10) FILTER (WHERE a > 1)", "(TUMBLING_WINDOW SS 10 (filter (> a 1)))"],
    [
      "SLIDINGWINDOW(ss, 10) FILTER (WHERE b) OVER (WHEN a > 1)",
      "(SLIDING_WINDOW SS 10 (filter b) (trigger (> a 1)))",
    ],
    ["id, TUMBLINGWINDOW(ss, 10), zone", "id, (TUMBLING_WINDOW SS 10), zone"],
    ["TUMBLINGWINDOW(ss, 10), id", "(TUMBLING_WINDOW SS 10), id"],
    // a window nested in an expression stays a call (the analyser rejects it)
    ["a + countwindow(2)", "(+ a (countwindow 2))"],
  ];
  for (const [clause, want] of cases) {
    await t.step(clause, () => {
      expect(groupBy(clause)).toBe(want);
    });
  }
});

Deno.test("window node shape", () => {
  const sql = "SELECT a FROM t GROUP BY SLIDINGWINDOW(ss, 10) FILTER (WHERE b) OVER (WHEN c)";
  const [w] = parseSelect(sql).groupBy!;
  expect(w.span).toEqual({ start: 25, end: sql.length });
  expect(stripSpans(w)).toEqual({
    kind: "Window",
    windowType: "SLIDING_WINDOW",
    args: [{ kind: "TimeUnitLiteral", unit: "SS" }, { kind: "IntegerLiteral", value: 10 }],
    filter: { kind: "FieldRef", name: "b" },
    trigger: { kind: "FieldRef", name: "c" },
  });
});

Deno.test("window calls outside GROUP BY are ordinary calls", () => {
  const s = parseSelect("SELECT tumblingwindow(ss, 10) FROM t WHERE countwindow(1) > 0");
  expect(s.fields[0].expr.kind).toBe("Call");
  expect(sexpr(s.fields[0].expr)).toBe("(tumblingwindow SS 10)");
  expect(sexpr(s.where!)).toBe("(> (countwindow 1) 0)");
});

Deno.test("invalid windows", async (t) => {
  const prefix = "SELECT a FROM t GROUP BY ";
  const at = (column: number) => `line 1, column ${prefix.length + column}`;
  const cases: [string, string][] = [
    ["TUMBLINGWINDOW(ss)", `${at(1)}: tumblingwindow(unit, length) takes 2 arguments but got 1`],
    [
      "TUMBLINGWINDOW(ss, 1, 2)",
      `${at(1)}: tumblingwindow(unit, length) takes 2 arguments but got 3`,
    ],
    [
      "HOPPINGWINDOW(ss, 1)",
      `${at(1)}: hoppingwindow(unit, length, hop) takes 3 arguments but got 2`,
    ],
    [
      "SLIDINGWINDOW(ss)",
      `${at(1)}: slidingwindow(unit, length[, delay]) takes 2 to 3 arguments but got 1`,
    ],
    [
      "SESSIONWINDOW(ss, 1)",
      `${at(1)}: sessionwindow(unit, length, timeout) takes 3 arguments but got 2`,
    ],
    ["COUNTWINDOW()", `${at(1)}: countwindow(count[, interval]) takes 1 to 2 arguments but got 0`],
    [
      "COUNTWINDOW(1, 2, 3)",
      `${at(1)}: countwindow(count[, interval]) takes 1 to 2 arguments but got 3`,
    ],
    [
      "STATEWINDOW()",
      `${at(1)}: statewindow(beginCondition[, emitCondition]) takes 1 to 2 arguments but got 0`,
    ],
    [
      "TUMBLINGWINDOW(10, 10)",
      `${
        at(16)
      }: the 1st argument (unit) of tumblingwindow must be a time unit: DD, HH, MI, SS, MS`,
    ],
    [
      "TUMBLINGWINDOW(ss, 1.5)",
      `${at(20)}: the 2nd argument (length) of tumblingwindow must be a positive integer literal`,
    ],
    [
      "TUMBLINGWINDOW(ss, 0)",
      `${at(20)}: the 2nd argument (length) of tumblingwindow must be a positive integer literal`,
    ],
    [
      "TUMBLINGWINDOW(ss, ss)",
      `${at(20)}: the 2nd argument (length) of tumblingwindow must be a positive integer literal`,
    ],
    [
      "HOPPINGWINDOW(ss, 10, n)",
      `${at(23)}: the 3rd argument (hop) of hoppingwindow must be a positive integer literal`,
    ],
    [
      "SLIDINGWINDOW(ss, 10, -1)",
      `${at(23)}: the 3rd argument (delay) of slidingwindow must be a non-negative integer literal`,
    ],
    [
      "COUNTWINDOW(0)",
      `${at(13)}: the 1st argument (count) of countwindow must be a positive integer literal`,
    ],
    [
      "COUNTWINDOW(ss, 1)",
      `${at(13)}: the 1st argument (count) of countwindow must be a positive integer literal`,
    ],
    [
      "COUNTWINDOW(3, 5)",
      `${at(16)}: The second parameter value 5 should be less than the first parameter 3.`,
    ],
    [
      "STATEWINDOW(ss)",
      `${at(13)}: the 1st argument (beginCondition) of statewindow must be a condition`,
    ],
    [
      "TUMBLINGWINDOW(ss, 1), COUNTWINDOW(2)",
      `${at(24)}: GROUP BY can only have one window, found countwindow after tumblingwindow`,
    ],
    ["TUMBLINGWINDOW(ss, 1) OVER (WHEN", `${at(33)}: expected expression but found end of input`],
    ["TUMBLINGWINDOW(ss, 1) OVER ()", `${at(29)}: OVER needs PARTITION BY, ORDER BY or WHEN`],
    [
      "TUMBLINGWINDOW(ss, 1) OVER (WHEN a) FILTER (WHERE b)",
      `${at(37)}: expected one of HAVING, LIMIT, ORDER, ',', ';', end of input but found 'FILTER'`,
    ],
    [
      "TUMBLINGWINDOW(xx, 1)",
      `${
        at(16)
      }: the 1st argument (unit) of tumblingwindow must be a time unit: DD, HH, MI, SS, MS`,
    ],
  ];
  for (const [clause, message] of cases) {
    await t.step(clause, () => {
      expect(syntaxError(() => parseSelect(prefix + clause)).message).toBe(message);
    });
  }
});
