import { expect } from "expect";
import { WindowOperator } from "./operator.ts";
import { row } from "./_test_util.ts";

const ids = (n: number) => Array.from({ length: n }, (_, i) => row(1_000 + i, { id: i + 1 }));

interface Case {
  name: string;
  size: number;
  interval?: number;
  rows: number;
  /** ids per emitted window */
  want: number[][];
}

// eKuiper's docs (docs/en_US/sqls/windows.md, "Count window") and window_op.go's TupleList.
const CASES: Case[] = [
  { name: "COUNTWINDOW(3): tumbling by count", size: 3, rows: 7, want: [[1, 2, 3], [4, 5, 6]] },
  {
    name: "COUNTWINDOW(5, 1): every row once 5 have arrived",
    size: 5,
    interval: 1,
    rows: 7,
    want: [[1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7]],
  },
  {
    // The docs' picture: nothing at rows 2 and 4, then the latest 5 at rows 6 and 8.
    name: "COUNTWINDOW(5, 2): the docs' example",
    size: 5,
    interval: 2,
    rows: 8,
    want: [[2, 3, 4, 5, 6], [4, 5, 6, 7, 8]],
  },
  { name: "COUNTWINDOW(1)", size: 1, rows: 2, want: [[1], [2]] },
];

for (const c of CASES) {
  Deno.test(`count: ${c.name}`, () => {
    const op = new WindowOperator({ type: "count", size: c.size, interval: c.interval ?? c.size });
    const out = op.push(ids(c.rows), 5_000);
    expect(out.map((w) => w.rows.map((r) => r.message.id))).toEqual(c.want);
    expect(op.nextDeadline()).toBeUndefined();
  });
}

Deno.test("count: window bounds run from the previous emission to the triggering row", () => {
  const op = new WindowOperator({ type: "count", size: 2, interval: 2 });
  const out = op.push(ids(4), 5_000);
  expect(out.map((w) => [w.start, w.end])).toEqual([[1_000, 1_001], [1_001, 1_003]]);
});

Deno.test("count: between pushes it holds at most n − 1 rows, n − m right after an emission", () => {
  const op = new WindowOperator({ type: "count", size: 100, interval: 10 });
  let max = 0;
  for (let i = 0; i < 1_000; i++) {
    op.push([row(i)], i);
    max = Math.max(max, op.bufferedCount());
  }
  expect(max).toBe(99);
  expect(op.bufferedCount()).toBe(90);
});

Deno.test("count: FILTER keeps rejected rows out of the count", () => {
  // docs: "with filter clause, the output length will be always 3"
  const op = new WindowOperator({
    type: "count",
    size: 3,
    interval: 1,
    filter: (t) => (t.message.revenue as number) > 100,
  });
  const revenue = [150, 50, 200, 10, 300, 400];
  const out = op.push(revenue.map((r, i) => row(i, { revenue: r })), 10);
  expect(out.map((w) => w.rows.map((r) => r.message.revenue))).toEqual([
    [150, 200, 300],
    [200, 300, 400],
  ]);
});
