/**
 * LIKE patterns as anchored regular expressions: `%` is any run of characters, `_` one
 * character, and a backslash makes the next character literal (`\%`, `\_`, `\\`).
 *
 * eKuiper converts the pattern to a Go regexp without escaping other metacharacters, so
 * `a.c` also matches `abc` there; Weir escapes them, so every character but `%` and `_`
 * matches itself. `%` and `_` also match line breaks.
 *
 * @module
 */

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/;

export function likeToRegExp(pattern: string): RegExp {
  let source = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i];
      source += REGEXP_SPECIAL.test(next) ? `\\${next}` : next;
    } else if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += REGEXP_SPECIAL.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(source + "$", "u");
}
