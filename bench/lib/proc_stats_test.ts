import { expect } from "expect";
import { clockTicks, cpuSeconds, machineBusySeconds, minorFaults } from "./proc_stats.ts";

Deno.test("proc_stats: machineBusySeconds adds user, nice, system, irq, softirq, steal", () => {
  const stat = "cpu  100 10 50 9999 7 3 2 5 40 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
  expect(machineBusySeconds(stat)).toBeCloseTo(170 / clockTicks(), 9);
});

Deno.test("proc_stats: the machine is at least as busy as this process over a spin", () => {
  const m0 = machineBusySeconds();
  const p0 = cpuSeconds(Deno.pid);
  const until = performance.now() + 300;
  while (performance.now() < until) { /* spin */ }
  const machine = machineBusySeconds() - m0;
  const self = cpuSeconds(Deno.pid) - p0;
  expect(self).toBeGreaterThan(0.1);
  // Tick accounting differs slightly between the two files: allow one tick per core.
  expect(machine + 2 * navigator.hardwareConcurrency / clockTicks()).toBeGreaterThanOrEqual(self);
});

Deno.test("proc_stats: touching fresh memory counts page faults", () => {
  const f0 = minorFaults(Deno.pid);
  // 16 MiB is memory mapped afresh; filling it touches every page.
  const big = new Uint8Array(16 * 1024 * 1024).fill(1);
  const faults = minorFaults(Deno.pid) - f0;
  expect(big[big.length - 1]).toBe(1);
  // 4,096 pages of 4 KiB; as few as 8 where transparent huge pages are always on.
  expect(faults).toBeGreaterThanOrEqual(8);
});
