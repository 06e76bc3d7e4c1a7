/**
 * The smallest rule that must survive a restart: memory stream `s` (datasource "in") read by
 * rule `r1` into memory topic "out". For tests that start Weir some other way (a bundle, a
 * service manager's command line) and only need to see a rule come back.
 */
import { expect } from "expect";
import type { WeirProcess } from "./weir_process.ts";

export async function createMemoryRule(weir: WeirProcess): Promise<void> {
  expect(
    (await weir.request("POST", "/streams", {
      sql: 'CREATE STREAM s () WITH (TYPE="memory", DATASOURCE="in")',
    })).status,
  ).toBe(201);
  expect(
    (await weir.request("POST", "/rules", {
      id: "r1",
      sql: "SELECT * FROM s",
      actions: [{ memory: { topic: "out" } }],
    })).status,
  ).toBe(201);
}

/** Checks that `r1` is the one rule and is running. */
export async function expectMemoryRuleRunning(weir: WeirProcess): Promise<void> {
  const rules = (await weir.request("GET", "/rules")).json() as { id: string; status: string }[];
  expect(rules.map((r) => [r.id, r.status])).toEqual([["r1", "running"]]);
}
