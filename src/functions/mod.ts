/**
 * The built-in SQL functions: one table per family, merged in the order listed here.
 *
 * @example Looking a function up
 * ```ts
 * import { builtinFunctions } from "./mod.ts";
 *
 * const abs = builtinFunctions.get("abs");
 * console.log(abs?.kind); // "scalar"
 * ```
 *
 * @module
 */
import { aggregateFunctions } from "./aggregate.ts";
import { analyticFunctions } from "./analytic.ts";
import { arrayFunctions } from "./array.ts";
import { datetimeFunctions } from "./datetime.ts";
import { geohashFunctions } from "./geohash.ts";
import { imageFunctions } from "./image.ts";
import { jsonFunctions } from "./json.ts";
import { objectFunctions } from "./object.ts";
import { conversionFunctions } from "./conversion.ts";
import { hashFunctions } from "./hash.ts";
import { mathFunctions } from "./math.ts";
import { miscFunctions } from "./misc.ts";
import { shapingFunctions } from "./shaping.ts";
import { stateFunctions } from "./state.ts";
import { createRegistry } from "./registry.ts";
import { stringFunctions } from "./string.ts";
import type { FunctionRegistry, FunctionTable } from "./types.ts";

export type {
  Accumulator,
  AnalyticImpl,
  FunctionDef,
  FunctionKind,
  FunctionRegistry,
  FunctionTable,
  NullPolicy,
} from "./types.ts";
export { createRegistry } from "./registry.ts";
export { callError, invoke, nilResult } from "./invoke.ts";
export { arityError, checkArgs, resolveReturnType } from "./signature.ts";
export { getTimezone, setTimezone } from "./_time.ts";

/** Every built-in family table (tests iterate it: names lowercase, tables disjoint). */
export const builtinTables: readonly FunctionTable[] = [
  mathFunctions,
  stringFunctions,
  conversionFunctions,
  hashFunctions,
  miscFunctions,
  stateFunctions,
  shapingFunctions,
  jsonFunctions,
  arrayFunctions,
  objectFunctions,
  datetimeFunctions,
  geohashFunctions,
  imageFunctions,
  aggregateFunctions,
  analyticFunctions,
];

export const builtinFunctions: FunctionRegistry = createRegistry(builtinTables);
