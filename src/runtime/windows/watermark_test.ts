import { expect } from "expect";
import { Watermark } from "./watermark.ts";
import { row } from "./_test_util.ts";

const released = (w: Watermark, now: number) => w.advance(now).map((r) => r.timestamp);

Deno.test("watermark: releases rows in timestamp order once ts ≤ max − lateTolerance", () => {
  const w = new Watermark({ lateTolerance: 1_000, idleTimeout: 0 });
  w.start(0);
  for (const ts of [5_000, 3_000, 4_000]) w.offer(row(ts), 0);
  expect(released(w, 0)).toEqual([3_000, 4_000]);
  expect(w.current()).toBe(4_000);
  w.offer(row(6_000), 0);
  expect(released(w, 0)).toEqual([5_000]);
});

Deno.test("watermark: rows older than the last watermark are dropped and counted", () => {
  // eKuiper's WatermarkOp.track: accepted when ts >= lastWatermark.
  const w = new Watermark({ lateTolerance: 0, idleTimeout: 0 });
  w.offer(row(5_000), 0);
  w.advance(0);
  expect(w.offer(row(5_000), 0)).toBe(true);
  expect(w.offer(row(4_999), 0)).toBe(false);
  expect(w.lateDropped()).toBe(1);
});

Deno.test("watermark: the slowest emitter holds it back, declared emitters included", () => {
  const w = new Watermark({ lateTolerance: 0, idleTimeout: 0, emitters: ["a", "b"] });
  w.start(0);
  w.offer(row(10_000, {}, "a"), 0);
  expect(released(w, 0)).toEqual([]);
  w.offer(row(3_000, {}, "b"), 0);
  expect(released(w, 0)).toEqual([3_000]);
  expect(w.current()).toBe(3_000);
});

Deno.test("watermark: equal timestamps keep arrival order", () => {
  const w = new Watermark({ lateTolerance: 0, idleTimeout: 0 });
  w.offer(row(2, { id: "x" }), 0);
  w.offer(row(1, { id: "y" }), 0);
  w.offer(row(1, { id: "z" }), 0);
  w.offer(row(3), 0);
  expect(w.advance(0).map((r) => r.message.id)).toEqual(["y", "z", "x"]);
});

Deno.test("watermark idle timeout: a quiet emitter stops holding the watermark back", () => {
  const w = new Watermark({ lateTolerance: 0, idleTimeout: 5_000, emitters: ["a", "b"] });
  w.start(0);
  w.offer(row(10_000, {}, "a"), 1_000);
  expect(released(w, 1_000)).toEqual([]);
  expect(w.wakeUp(1_000, undefined)).toBe(5_000); // b, silent since start, turns idle
  w.offer(row(11_000, {}, "a"), 5_000);
  expect(released(w, 5_000)).toEqual([10_000, 11_000]);
});

Deno.test("watermark idle timeout: when all are idle, event time follows the wall clock", () => {
  const w = new Watermark({ lateTolerance: 1_000, idleTimeout: 2_000 });
  w.offer(row(10_000), 100);
  expect(released(w, 100)).toEqual([]); // watermark 9 000
  // Target event time 20 000: newest 10 000 + (now − 100) − 1 000 ≥ 20 000 ⇒ now ≥ 11 100.
  expect(w.wakeUp(100, 20_000)).toBe(2_100); // first the idle transition
  w.advance(2_100);
  expect(w.current()).toBe(11_000);
  expect(w.wakeUp(2_100, 20_000)).toBe(11_100);
  w.advance(11_100);
  expect(w.current()).toBe(20_000);
});

Deno.test("watermark: snapshot survives JSON and restores", () => {
  const w = new Watermark({ lateTolerance: 0, idleTimeout: 0 });
  w.offer(row(5), 0);
  w.advance(0);
  w.offer(row(9), 0);
  w.offer(row(1), 0);
  const copy = new Watermark({ lateTolerance: 0, idleTimeout: 0 });
  copy.restore(JSON.parse(JSON.stringify(w.snapshot())));
  expect(copy.current()).toBe(5);
  expect(copy.lateDropped()).toBe(1);
  expect(copy.pendingCount()).toBe(1);
  copy.offer(row(20), 0);
  expect(released(copy, 0)).toEqual([9, 20]);
});
