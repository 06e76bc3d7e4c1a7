/** Which JavaScript runtime runs Weir. */
export type RuntimeName = "deno" | "bun" | "node";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

export const runtimeName: RuntimeName = g.Bun ? "bun" : g.Deno ? "deno" : "node";
