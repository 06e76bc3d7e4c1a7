/**
 * The JIT's tier-up policy around start-up. The Bun binary starts with its thresholds scaled up
 * (`--compile-jit-policy`, see build/build.ts): start-up runs much code once or a few thousand
 * times (the SQL grammar's combinators built, the function table defined, YAML parsed), which at
 * the normal policy gets optimised and pages in JavaScriptCore's optimising compilers, ~4 MiB of
 * an idle Weir's RSS (bench/RESULTS.md). Once Weir has settled after start, the normal policy
 * returns, so rules are optimised as usual. Deno has no such switch; under it this does nothing.
 *
 * @module
 */

/** Puts the JIT back to its normal tier-up policy; false when the runtime has no such policy. */
export function endStartupJitPolicy(): boolean {
  // deno-lint-ignore no-explicit-any
  const setPolicy = (globalThis as any).Bun?.unsafe?.setJITPolicy;
  if (typeof setPolicy !== "function") return false;
  setPolicy(1);
  return true;
}
