import { expect } from "expect";
import { Scheduler, type Task } from "./scheduler.ts";
import { SinkNode } from "./sink_node.ts";
import { jsonFormat } from "../formats/json.ts";
import { logger } from "../log.ts";
import type { SinkItem, SinkSpec } from "../io/types.ts";

function countingTask(name: string, batches: number, trace: string[]): Task {
  let left = batches;
  return {
    runnable: () => left > 0,
    runOnce: () => {
      left--;
      trace.push(name);
    },
  };
}

Deno.test("Scheduler runs runnable tasks round-robin, one batch per turn", async () => {
  const s = new Scheduler();
  const trace: string[] = [];
  s.wake(countingTask("a", 3, trace));
  s.wake(countingTask("b", 2, trace));
  await new Promise((r) => setTimeout(r, 20));
  expect(trace).toEqual(["a", "b", "a", "b", "a"]);
});

Deno.test("Scheduler skips a woken task that has nothing to do", async () => {
  const s = new Scheduler();
  const trace: string[] = [];
  s.wake(countingTask("idle", 0, trace));
  await new Promise((r) => setTimeout(r, 10));
  expect(trace).toEqual([]);
});

Deno.test("Scheduler reads its clock once per few tasks; now() outside a turn reads it", async () => {
  let reads = 0;
  let time = 1000;
  const s = new Scheduler({ now: () => (reads++, time) });
  const seen: number[] = [];
  for (let i = 0; i < 20; i++) {
    let left = 1;
    s.wake({
      runnable: () => left > 0,
      runOnce: () => {
        left--;
        seen.push(s.now());
        time++;
      },
    });
  }
  await new Promise((r) => setTimeout(r, 10));
  // Read at the start of the turn and after every 8 tasks: 3 reads for 20 tasks.
  expect(reads).toBe(3);
  expect(seen).toEqual([
    ...Array(8).fill(1000),
    ...Array(8).fill(1008),
    ...Array(4).fill(1016),
  ]);
  expect(s.now()).toBe(1020);
});

Deno.test("Scheduler runs thousands of queued tasks in wake order", async () => {
  const s = new Scheduler();
  const trace: string[] = [];
  const n = 3000;
  for (let i = 0; i < n; i++) s.wake(countingTask(String(i), 2, trace));
  await new Promise((r) => setTimeout(r, 200));
  const names = Array.from({ length: n }, (_, i) => String(i));
  expect(trace).toEqual([...names, ...names]);
});

Deno.test("SinkNode applies backpressure: full queue until the slow sink drains", async () => {
  const pending: (() => void)[] = [];
  const delivered: unknown[] = [];
  const slow: SinkSpec = {
    type: "slow",
    payload: "bytes",
    create: () => ({
      connect: () => Promise.resolve(),
      collect: (item: SinkItem) =>
        new Promise<void>((resolve) =>
          pending.push(() => {
            delivered.push(JSON.parse(new TextDecoder().decode(item.payload)));
            resolve();
          })
        ),
      close: () => Promise.resolve(),
    }),
  };
  let drains = 0;
  const node = new SinkNode({
    ruleId: "r",
    type: "slow",
    index: 0,
    spec: slow,
    props: { bufferLength: 2 },
    format: jsonFormat,
    bufferLength: 1024,
    logger: logger("test"),
    onDrain: () => drains++,
  });
  node.open();
  node.collect([{ a: 1 }], 0);
  node.collect([{ a: 2 }], 0);
  node.collect([{ a: 3 }], 0);
  await new Promise((r) => setTimeout(r, 5));
  // One item is in flight, two wait: the queue is at its bound, the rule must not be pulled.
  expect(node.isFull()).toBe(true);
  while (pending.length > 0 || node.length > 0) {
    pending.shift()?.();
    await new Promise((r) => setTimeout(r, 1));
  }
  expect(delivered).toEqual([[{ a: 1 }], [{ a: 2 }], [{ a: 3 }]]);
  expect(node.isFull()).toBe(false);
  expect(drains).toBeGreaterThan(0);
  const stats: Record<string, unknown> = {};
  node.metrics.snapshot(stats);
  expect(stats.sink_slow_0_0_records_out_total).toBe(3);
  await node.close();
});
