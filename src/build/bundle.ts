/**
 * The program the Deno binary embeds: main.ts and its npm packages in one minified file
 * (`deno bundle --minify`), which `deno compile` then wraps (`compile.ts`). Minified because V8
 * keeps every loaded script's source in memory: the readable bundle costs ~3 MB more idle RSS.
 *
 * The text is kept Latin-1, for the same reason: one character above U+00FF anywhere (a
 * typographic quote in a dependency's comment) makes V8 store the whole 0.7 MB source at two bytes
 * per character. Such characters are written as `\uXXXX` escapes, which mean the same thing in
 * comments, string, template and regular-expression literals and identifiers; only a tagged
 * template's raw text would see the escape, and a test runs the bundle.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { run } from "./run.ts";
import { ROOT } from "./targets.ts";

/** `text` with every character above U+00FF as a `\uXXXX` escape (surrogate pairs as two). */
export function latin1Source(text: string): string {
  return text.replace(
    /[\u0100-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Writes the bundle to `out` (an `.mjs` path). */
export async function bundleForDeno(out: string): Promise<void> {
  await run([
    process.execPath,
    "bundle",
    "--platform",
    "deno",
    "--minify",
    "--output",
    out,
    join(ROOT, "main.ts"),
  ], { cwd: ROOT, env: { NO_COLOR: "1" } });
  const text = readFileSync(out, "utf8");
  const latin1 = latin1Source(text);
  if (latin1 !== text) writeFileSync(out, latin1);
}
