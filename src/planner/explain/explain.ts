/**
 * EXPLAIN output in eKuiper's layout: one JSON object per plan node, `{"op":"<Type>_<id>",
 * "info":"..."}`, ids in pre-order from the root, a child at depth d indented by 2d-1 tabs
 * (eKuiper's own indentation), siblings at the same depth.
 *
 * @module
 */
import type { Expr, SelectField } from "../../sql/ast.ts";
import type { LogicalPlan } from "../logical/plan.ts";
import { exprString, type NameContext } from "./expr_string.ts";

function fieldString(f: SelectField, ctx: NameContext): string {
  if (f.alias) {
    return `$$alias.${f.alias},aliasRef:${exprString(f.expr, { ...ctx, nested: true })}`;
  }
  return exprString(f.expr, ctx);
}

function joinType(t: string): string {
  return `${t}_JOIN`;
}

/** The `info` string of one node. */
export function nodeInfo(p: LogicalPlan, ctx: NameContext): string {
  const s = (e: Parameters<typeof exprString>[0]) => exprString(e, ctx);
  switch (p.op) {
    case "DataSourcePlan": {
      let info = `StreamName: ${p.source.name}`;
      if (p.streamFields && p.streamFields.length > 0) {
        info += `, StreamFields:[ ${p.streamFields.join(", ")} ]`;
      }
      return info;
    }
    case "AnalyticFuncsPlan": {
      const parts: string[] = [];
      if (p.funcs.length) parts.push(`Funcs:[ ${p.funcs.map(s).join(", ")} ]`);
      if (p.fieldFuncs.length) parts.push(`FieldFuncs:[ ${p.fieldFuncs.map(s).join(", ")} ]`);
      return parts.join(", ");
    }
    case "WindowPlan": {
      let info = `{ length:${p.length}, windowType:${p.window.windowType}`;
      if (p.condition) info += `, condition:${s(p.condition)}`;
      return info + `, limit: ${p.limit} }`;
    }
    case "IncAggWindowPlan": {
      const parts = [`wType:${p.window.windowType}`];
      if (p.dimensions.length) parts.push(`Dimension:[${p.dimensions.map(s).join(", ")}]`);
      if (p.window.filter) parts.push(`filter:[${s(p.window.filter)}]`);
      if (p.where) parts.push(`where:[${s(p.where)}]`);
      const funcs = p.funcs.map((f) =>
        `${s({ ...f.call, name: `inc_${f.call.name}` })}->${f.column}`
      );
      parts.push(`funcs:[${funcs.join(",")}]`);
      return parts.join(", ");
    }
    case "JoinPlan":
      return `Joins:[ ${
        p.joins.map((j) => `{ joinType:${joinType(j.joinType)}, ${j.on ? s(j.on) : ""} }`).join(
          ", ",
        )
      } ]`;
    case "JoinAlignPlan":
      return `Emitters:[ ${p.emitters.join(", ")} ]`;
    case "LookupPlan":
      return `Join:{ joinType:${joinType(p.joinType)}, expr:${p.on ? s(p.on) : ""} }`;
    case "FilterPlan":
    case "HavingPlan":
      return `Condition:{ ${s(p.condition)} }, `;
    case "AggregatePlan":
      return `Dimension:{ ${p.dimensions.map(s).join(", ")} }`;
    case "OrderPlan":
      return `SortFields:[ ${
        p.sortFields.map((o) => {
          const name = o.expr.kind === "FieldRef" ? o.expr.name : s(o.expr);
          const fe = o.expr.kind === "FieldRef" ? "" : `, fieldExpr:{ ${s(o.expr)} }`;
          return `SortField:{ name:${name}, ascending:${!o.descending}${fe} }`;
        }).join(", ")
      } ]`;
    case "ProjectPlan": {
      let info = `Fields:[ ${p.fields.map((f) => fieldString(f, ctx)).join(", ")} ]`;
      if (p.limit !== undefined) info += `, Limit:${p.limit}`;
      return info;
    }
  }
}

/** The whole plan, one line per node. */
export function explainPlan(root: LogicalPlan, ctx: NameContext): string {
  const lines: string[] = [];
  let id = 0;
  const line = (op: string, info: string, depth: number) => {
    const indent = depth === 0 ? "" : "\t".repeat(2 * depth - 1);
    lines.push(indent + JSON.stringify({ op: `${op}_${id++}`, info }));
  };
  const visit = (p: LogicalPlan, depth: number) => {
    if (p.op === "ProjectPlan" && (p.setFields.length > 0 || p.windowFuncs.length > 0)) {
      visitProject(p, depth);
      return;
    }
    line(p.op, nodeInfo(p, ctx), depth);
    for (const c of p.children) visit(c, depth + 1);
  };
  // eKuiper plans row shaping as nodes of their own: ProjectSetPlan above the projection,
  // WindowFuncPlan below it (whose column the projection reads through `bypass`).
  const visitProject = (p: Extract<LogicalPlan, { op: "ProjectPlan" }>, depth: number) => {
    if (p.setFields.length > 0) {
      const srf = p.setFields.map((n) => `key:${n}`).join(", ");
      line("ProjectSetPlan", `SrfMap:{${srf}}, EnableLimit:${p.limit !== undefined}`, depth++);
    }
    const fields = p.fields.map((f, i) => {
      const wf = p.windowFuncs.find((w) => w.field === i);
      if (!wf) return f;
      const expr: Expr = {
        kind: "Call",
        name: "bypass",
        // eKuiper prints the column bare (`args:[wf_row_number_1]`).
        args: [{ kind: "StringLiteral", value: wf.column, span: f.expr.span }],
        span: f.expr.span,
      };
      return { ...f, expr };
    });
    line(p.op, nodeInfo({ ...p, fields }, ctx), depth++);
    for (const wf of p.windowFuncs) {
      const call = exprString(p.fields[wf.field].expr, ctx);
      line("WindowFuncPlan", `windowFuncField:{name:${wf.column}, expr:${call}}`, depth++);
    }
    for (const c of p.children) visit(c, depth);
  };
  visit(root, 0);
  return lines.join("\n");
}
