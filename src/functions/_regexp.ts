/**
 * Go (RE2) regular expressions on JavaScript's engine: the syntax both share covers what rules
 * use; the few RE2-only spellings (`(?i)` prefixes, `(?P<name>...)`, `\A`, `\z`) are translated,
 * and replacements follow Go's `$1` / `${name}` expansion. Compiled patterns are cached because
 * patterns are almost always literals evaluated once per record.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 256;

const GENERAL_CATEGORIES = new Set(
  "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn"
    .split(" "),
);

function translate(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1].includes("U")) throw new EvalError("error parsing regexp: flag U is not supported");
    flags = lead[1];
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\(\?P</g, "(?<").replace(/\\A/g, "^").replace(/\\z/g, "$(?![\\s\\S])");
  if (/\\[pP]/.test(source)) {
    flags += "u";
    // RE2 names scripts bare (`\p{Han}`); JavaScript wants `\p{Script=Han}`.
    source = source.replace(
      /\\([pP])\{([A-Za-z_]+)\}/g,
      (m, p, name) => (GENERAL_CATEGORIES.has(name) ? m : `\\${p}{Script=${name}}`),
    );
  }
  return { source, flags };
}

/** The compiled form of a Go pattern; `global` for replace-all. Invalid patterns throw an
 * EvalError carrying the engine's message. */
export function goRegExp(pattern: string, global = false): RegExp {
  const key = global ? `g:${pattern}` : pattern;
  let re = cache.get(key);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  const { source, flags } = translate(pattern);
  try {
    re = new RegExp(source, global ? flags + "g" : flags);
  } catch (e) {
    throw new EvalError(`error parsing regexp: ${(e as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

/** Go's `Regexp.Expand` template: `$$` is a dollar, `$1`/`${1}` a group by number,
 * `$name`/`${name}` a group by name; unknown groups expand to nothing. */
export function expandGoTemplate(
  template: string,
  groups: readonly (string | undefined)[],
  named: Record<string, string | undefined> | undefined,
): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_m, all: string, braced, bare) => {
    if (all === "$") return "$";
    const name: string = braced ?? bare;
    if (/^\d+$/.test(name)) return groups[Number(name)] ?? "";
    return named?.[name] ?? "";
  });
}
