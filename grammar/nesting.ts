/**
 * Bounds on how deep a statement may nest, so that absurd input (10,000 parentheses, a chain of
 * 50,000 `+`) is a clean {@link SqlSyntaxError} instead of a stack overflow, here or in whatever
 * walks the AST later (printer, analyser, expression compiler, JSON encoder).
 *
 * Two limits, because two things nest:
 * - syntax that the parser handles by recursion (parentheses, calls, CASE, brackets, `NOT NOT`,
 *   `- -`, ARRAY/STRUCT types): at most {@link MAX_NESTING} levels, counted while parsing;
 * - operator chains, which the parser folds in a loop but which still make a deep tree
 *   (`a OR b OR c ...` is left-deep): at most {@link MAX_AST_DEPTH} expression levels, checked
 *   on the finished AST without recursion.
 *
 * @module
 */

import P from "parsimmon";
import { abort } from "./errors.ts";

/** Deepest syntactic nesting accepted (parentheses, calls, CASE, types, ...). */
export const MAX_NESTING = 100;

/** Deepest expression tree accepted (operator chains included). */
export const MAX_AST_DEPTH = 1000;

/** Current syntactic depth of the parse in progress (parsing is synchronous and not
 * re-entrant, so one counter suffices; {@link resetNesting} starts each parse at 0). */
let depth = 0;

/** Called by the entry points before each parse (an aborted parse may leave a count behind). */
export function resetNesting(): void {
  depth = 0;
}

type ParseFn<T> = (input: string, i: number) => P.Reply<T>;

/** `p`, counted as one level of nesting of `what` ("expressions", "types"). */
export function nested<T>(what: string, p: P.Parser<T>): P.Parser<T> {
  // Parsimmon keeps each parser's parse function in the (untyped) field `_`; read it on every
  // call since `P.lazy` replaces it on first use.
  const inner = p as unknown as { _: ParseFn<T> };
  return P((input, i) => {
    if (depth >= MAX_NESTING) abort(i, `${what} nested deeper than ${MAX_NESTING} levels`);
    depth++;
    try {
      return inner._(input, i);
    } finally {
      depth--;
    }
  });
}

/** Offset of an expression node nested deeper than {@link MAX_AST_DEPTH} in `root`, if any.
 * Depth counts nodes with a `kind` (expressions and statements); iterative, so it cannot
 * overflow on the very trees it exists to reject. */
export function tooDeepAt(root: unknown): number | undefined {
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const value = nodes.pop() as Record<string, unknown>;
    let depth = depths.pop()!;
    if ("kind" in value && ++depth > MAX_AST_DEPTH) {
      return (value.span as { start: number } | undefined)?.start ?? 0;
    }
    for (const key in value) {
      const child = value[key];
      if (key !== "span" && child !== null && typeof child === "object") {
        nodes.push(child);
        depths.push(depth);
      }
    }
  }
  return undefined;
}

/** Whether `text` could hold a tree deeper than {@link MAX_AST_DEPTH}: every level of the
 * tree takes at least one character, so shorter statements need no walk. */
export function mayBeTooDeep(text: string): boolean {
  return text.length > MAX_AST_DEPTH;
}
