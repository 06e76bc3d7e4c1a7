/**
 * Expressions rendered the way eKuiper's `ast` package prints them in EXPLAIN output:
 * `Call:{ name:sum, args:[demo.b] }`, `binaryExpr:{ demo.a > 0 }`, `$$alias.c,aliasRef:...`.
 *
 * The node kinds eKuiper's docs and plan tests show are rendered exactly; the rest (CASE, IN,
 * BETWEEN, LIKE, slices, Weir's `IS NULL` and unary operators) follow the same style so that a
 * plan stays readable.
 *
 * @module
 */
import type { Expr } from "../../sql/ast.ts";

/** Stream qualifier eKuiper prints for a column it could not bind to one stream. */
export const DEFAULT_STREAM = "$$default";

/** What the printer needs to know about names: which bare names are SELECT aliases. */
export interface NameContext {
  /** Alias -> aliased expression. */
  aliases: ReadonlyMap<string, Expr>;
  /** Inside an alias's own expression: other aliases print by name only. */
  nested?: boolean;
}

const NO_ALIASES: NameContext = { aliases: new Map() };

function list(items: readonly Expr[], ctx: NameContext): string {
  return items.map((e) => exprString(e, ctx)).join(", ");
}

/** Go's `%v` of a float64 for the values rules contain. */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n).replace(/e\+?(-?)(\d)$/, (_m, sign, d) => `e${sign || "+"}0${d}`);
}

export function exprString(e: Expr, ctx: NameContext = NO_ALIASES): string {
  const s = (x: Expr) => exprString(x, ctx);
  switch (e.kind) {
    case "FieldRef": {
      if (e.stream === undefined) {
        const aliased = ctx.aliases.get(e.name);
        if (aliased && ctx.nested) return `$$alias.${e.name}`;
        if (aliased) {
          return `$$alias.${e.name},aliasRef:${exprString(aliased, { ...ctx, nested: true })}`;
        }
        return `${DEFAULT_STREAM}.${e.name}`;
      }
      return `${e.stream}.${e.name}`;
    }
    case "Wildcard":
      return e.stream ? `${e.stream}.*` : "*";
    case "IntegerLiteral":
      return String(e.value);
    case "NumberLiteral":
      return goFloat(e.value);
    case "StringLiteral":
      return e.value;
    case "BooleanLiteral":
      return String(e.value);
    case "TimeUnitLiteral":
      return e.unit;
    case "Binary":
      return `binaryExpr:{ ${s(e.left)} ${e.op} ${s(e.right)} }`;
    case "Unary":
      return `unaryExpr:{ ${e.op} ${s(e.operand)} }`;
    case "Between":
      return `binaryExpr:{ ${s(e.expr)} ${e.not ? "NOT BETWEEN" : "BETWEEN"} betweenExpr:{ ${
        s(e.low)
      }, ${s(e.high)} } }`;
    case "In": {
      const set = Array.isArray(e.list)
        ? `valueSetExpr:{ literalExprs:[ ${list(e.list, ctx)} ] }`
        : `valueSetExpr:{ arrayExpr:{ ${s(e.list)} } }`;
      return `binaryExpr:{ ${s(e.expr)} ${e.not ? "NOT IN" : "IN"} ${set} }`;
    }
    case "Like":
      return `binaryExpr:{ ${s(e.expr)} ${e.not ? "NOT LIKE" : "LIKE"} ${s(e.pattern)} }`;
    case "IsNull":
      return `${e.not ? "isNotNull" : "isNull"}:{ ${s(e.expr)} }`;
    case "Access":
      return `binaryExpr:{ ${s(e.object)} -> ${e.key} }`;
    case "Index":
      return `binaryExpr:{ ${s(e.object)} [] ${s(e.index)} }`;
    case "Slice":
      return `binaryExpr:{ ${s(e.object)} [] ${e.start ? s(e.start) : ""}:${
        e.end ? s(e.end) : ""
      } }`;
    case "Case": {
      const parts: string[] = [];
      if (e.operand) parts.push(`value:{ ${s(e.operand)} }`);
      parts.push(
        `whenClauses:[ ${
          e.whens.map((w) => `{ when:{ ${s(w.when)} }, then:{ ${s(w.then)} } }`).join(", ")
        } ]`,
      );
      if (e.else) parts.push(`else:{ ${s(e.else)} }`);
      return `caseExpr:{ ${parts.join(", ")} }`;
    }
    case "Call": {
      let out = `Call:{ name:${e.name}`;
      if (e.name === "meta" || e.name === "mqtt") {
        // Metadata keys, not columns.
        const keys = e.args.map((a) => (a.kind === "FieldRef" ? a.name : s(a)));
        return `${out}, args:[${keys.join(", ")}] }`;
      }
      if (e.args.length > 0) out += `, args:[${list(e.args, ctx)}]`;
      if (e.filter) out += `, filter:{ ${s(e.filter)} }`;
      if (e.over?.partitionBy.length) out += `, partition:[${list(e.over.partitionBy, ctx)}]`;
      if (e.over?.orderBy?.length) {
        out += `, orderBy:[${
          e.over.orderBy.map((o) => `${s(o.expr)} ${o.descending ? "DESC" : "ASC"}`).join(", ")
        }]`;
      }
      if (e.over?.when) out += `, when:{ ${s(e.over.when)} }`;
      return out + " }";
    }
    case "Window": {
      const unit = e.args[0]?.kind === "TimeUnitLiteral" ? ` timeUnit: ${e.args[0].unit} ` : " ";
      const filter = e.filter ? `, filter:{ ${s(e.filter)} }` : "";
      return `window:{ windowType:${e.windowType},${unit}${filter} }`;
    }
  }
}
