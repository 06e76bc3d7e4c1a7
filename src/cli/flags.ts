/**
 * Flags of `weir serve` and `weir service`: the subset of `node:util`'s `parseArgs` (strict
 * mode) those commands use, with its messages. Written here because in a Bun binary importing
 * `node:util` alone costs ~1.5 MiB of idle RSS (bench/RESULTS.md).
 *
 * @module
 */

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
}

/** Each flag's value: a string flag's text, `true` for a boolean flag given, absent if not. */
export interface ParsedFlags<S extends Record<string, FlagSpec>> {
  values: { [K in keyof S]?: S[K]["type"] extends "string" ? string : boolean };
  positionals: string[];
}

/** Splits `args` into flag values and positionals; throws an Error naming the bad flag. */
export function parseFlags<const S extends Record<string, FlagSpec>>(
  args: readonly string[],
  specs: S,
): ParsedFlags<S> {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name]] : [])),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      i = take(name, `--${name}`, inline, i);
    } else if (arg.length > 1 && arg.startsWith("-")) {
      const letters = arg.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const name = byShort.get(letters[k]);
        if (name === undefined) throw unknown(`-${letters[k]}`);
        if (specs[name].type === "string") {
          // `-dPATH` or `-d PATH`: the rest of the group is the value.
          const rest = letters.slice(k + 1);
          i = take(name, `-${letters[k]}`, rest === "" ? undefined : rest, i);
          break;
        }
        values[name] = true;
      }
    } else {
      positionals.push(arg);
    }
  }
  return { values, positionals } as ParsedFlags<S>;

  /** Stores flag `name`'s value; returns the index of the last argument it used. */
  function take(name: string, written: string, inline: string | undefined, i: number): number {
    const spec = specs[name];
    if (!spec) throw unknown(written);
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new Error(`Option '--${name}' does not take an argument`);
      values[name] = true;
      return i;
    }
    if (inline !== undefined) {
      values[name] = inline;
      return i;
    }
    const next = args[i + 1];
    if (next === undefined) throw new Error(`Option '${written} <value>' argument missing`);
    if (next.startsWith("-")) {
      throw new Error(
        `Option '${written}' argument is ambiguous. To give a value starting with a dash, ` +
          `write '--${name}=${next}'`,
      );
    }
    values[name] = next;
    return i + 1;
  }
}

function unknown(flag: string): Error {
  return new Error(
    `Unknown option '${flag}'. To specify a positional argument starting with a '-', place it ` +
      `at the end of the command after '--', as in '-- "${flag}"'`,
  );
}
