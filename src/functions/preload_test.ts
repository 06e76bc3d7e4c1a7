import { expect } from "expect";
import { parseSelect } from "../../grammar/mod.ts";
import { createRegistry } from "./registry.ts";
import { scalar } from "./_define.ts";
import { preloadCalledFunctions } from "./preload.ts";

function registryCounting(loaded: string[]) {
  const def = (name: string, load?: () => Promise<void>) =>
    scalar(name, { args: 1, returnType: "any", exec: ([v]) => v, load });
  return createRegistry([{
    plain: def("plain"),
    heavy: def("heavy", () => (loaded.push("heavy"), Promise.resolve())),
    other: def("other", () => (loaded.push("other"), Promise.resolve())),
  }]);
}

Deno.test("preload: loads the libraries of the functions a statement calls, once each", async () => {
  const loaded: string[] = [];
  const stmt = parseSelect(
    "SELECT plain(a), heavy(b) AS x FROM s WHERE heavy(c) > 1 GROUP BY TUMBLINGWINDOW(ss, 1)",
  );
  await preloadCalledFunctions(stmt, registryCounting(loaded));
  expect(loaded).toEqual(["heavy"]);
});

Deno.test("preload: finds calls nested in CASE, HAVING and arguments of other calls", async () => {
  const loaded: string[] = [];
  const stmt = parseSelect(
    "SELECT CASE WHEN a > 1 THEN plain(heavy(a)) END FROM s GROUP BY b HAVING count(other(b)) > 0",
  );
  await preloadCalledFunctions(stmt, registryCounting(loaded));
  expect(loaded.sort()).toEqual(["heavy", "other"]);
});

Deno.test("preload: a statement without such calls loads nothing", async () => {
  const loaded: string[] = [];
  await preloadCalledFunctions(parseSelect("SELECT a FROM s"), registryCounting(loaded));
  expect(loaded).toEqual([]);
});
