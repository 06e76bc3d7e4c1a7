/**
 * Predicate push-down: WHERE conjuncts that read one stream are evaluated right after that
 * stream's source, before windows and joins, where it is safe.
 *
 * Safe means the result cannot change: through processing-time tumbling, hopping and session
 * windows (a row's membership does not depend on other rows; eKuiper does the same), never
 * through count, sliding or state windows, event-time windows, or analytic functions (which
 * must see every event). Inner joins absorb the WHERE clause into the join condition and push
 * its single-stream parts down (as eKuiper does). Outer joins push only conditions on the
 * side whose rows are preserved; eKuiper pushes conditions on either side, which drops the
 * null-extended rows a WHERE on the other side would have kept - Weir does not copy that.
 *
 * @module
 */
import type { Expr } from "../../sql/ast.ts";
import { childExprs } from "../../expr/_children.ts";
import type { AnalyzedSelect } from "../analyze.ts";
import type { LogicalPlanOptions } from "./build.ts";
import type { FilterPlan, JoinPlan, LogicalPlan, ProjectPlan } from "./plan.ts";

/** `l AND r`, either side optional. */
export function and(l: Expr | undefined, r: Expr | undefined): Expr | undefined {
  if (!l) return r;
  if (!r) return l;
  return {
    kind: "Binary",
    op: "AND",
    left: l,
    right: r,
    span: { start: l.span.start, end: r.span.end },
  };
}

/**
 * Splits a condition into the part `take` accepts and the rest, keeping the AND structure of
 * each part (eKuiper's `extract`): a whole accepted expression is returned as it is.
 */
export function split(
  e: Expr | undefined,
  take: (e: Expr) => boolean,
): [Expr | undefined, Expr | undefined] {
  if (!e) return [undefined, undefined];
  if (take(e)) return [e, undefined];
  if (e.kind === "Binary" && e.op === "AND") {
    const [lt, lr] = split(e.left, take);
    const [rt, rr] = split(e.right, take);
    return [and(lt, rt), and(lr, rr)];
  }
  return [undefined, e];
}

/** The sources an expression reads; `null` when it reads a column no single source owns. */
function sourcesOf(e: Expr, aliases: ReadonlyMap<string, Expr>, depth = 0): Set<string> | null {
  const out = new Set<string>();
  let unknown = false;
  const visit = (n: Expr) => {
    if (n.kind === "Call" && (n.name === "meta" || n.name === "mqtt")) return;
    if (n.kind === "FieldRef") {
      if (n.stream !== undefined) out.add(n.stream);
      else {
        const target = aliases.get(n.name);
        const inner = target && depth < 32 ? sourcesOf(target, aliases, depth + 1) : null;
        if (!inner) unknown = true;
        else inner.forEach((s) => out.add(s));
      }
      return;
    }
    if (n.kind === "Wildcard") {
      if (n.stream) out.add(n.stream);
      else unknown = true;
    }
    childExprs(n).forEach(visit);
  };
  visit(e);
  return unknown ? null : out;
}

interface Context {
  aliases: ReadonlyMap<string, Expr>;
  options: LogicalPlanOptions;
}

function ownedBy(e: Expr, refs: ReadonlySet<string>, ctx: Context): boolean {
  const s = sourcesOf(e, ctx.aliases);
  return s !== null && [...s].every((r) => refs.has(r));
}

/** Pushes `cond` into `plan`; returns the new subtree and the condition left over. */
function push(
  plan: LogicalPlan,
  cond: Expr | undefined,
  ctx: Context,
): [LogicalPlan, Expr | undefined] {
  if (!cond) return [plan, cond];
  switch (plan.op) {
    case "DataSourcePlan": {
      if (plan.source.isTable) return [plan, cond];
      const mine = new Set([plan.source.ref]);
      const [owned, rest] = split(cond, (c) => ownedBy(c, mine, ctx));
      if (!owned) return [plan, rest];
      const filter: FilterPlan = { op: "FilterPlan", children: [plan], condition: owned };
      return [filter, rest];
    }
    case "WindowPlan":
    case "IncAggWindowPlan": {
      const t = plan.window.windowType;
      const timeBased = t === "TUMBLING_WINDOW" || t === "HOPPING_WINDOW" ||
        t === "SESSION_WINDOW";
      if (!timeBased || ctx.options.isEventTime) return [plan, cond];
      return [plan, pushChildren(plan, cond, ctx)];
    }
    case "JoinAlignPlan":
      return [plan, pushChildren(plan, cond, ctx)];
    case "LookupPlan": {
      const lookup = plan.source.ref;
      const [free, bound] = split(cond, (c) => {
        const s = sourcesOf(c, ctx.aliases);
        return s !== null && !s.has(lookup);
      });
      return [plan, and(bound, pushChildren(plan, free, ctx))];
    }
    case "JoinPlan":
      return pushJoin(plan, cond, ctx);
    default:
      return [plan, cond];
  }
}

/** Offers the condition to each child in turn, as eKuiper's base plan does. */
function pushChildren(plan: LogicalPlan, cond: Expr | undefined, ctx: Context): Expr | undefined {
  let rest = cond;
  plan.children = plan.children.map((child) => {
    const [next, left] = push(child, rest, ctx);
    rest = left;
    return next;
  });
  return rest;
}

function singleSource(c: Expr, ctx: Context): string | undefined {
  const s = sourcesOf(c, ctx.aliases);
  return s !== null && s.size === 1 ? [...s][0] : undefined;
}

function pushJoin(plan: JoinPlan, cond: Expr, ctx: Context): [LogicalPlan, Expr | undefined] {
  if (plan.joins.length === 1 && plan.joins[0].joinType === "INNER") {
    // The join absorbs WHERE: single-stream parts go down, the rest joins the ON condition.
    const j = plan.joins[0];
    const [single, multi] = split(and(cond, j.on), (c) => singleSource(c, ctx) !== undefined);
    j.on = and(multi, pushChildren(plan, single, ctx));
    return [plan, undefined];
  }
  // Outer joins: only the preserved side may be filtered early.
  const preserved = new Set<string>([plan.from.ref]);
  for (const j of plan.joins) {
    if (j.joinType === "RIGHT" || j.joinType === "FULL") preserved.clear();
    if (j.joinType === "RIGHT" || j.joinType === "CROSS" || j.joinType === "INNER") {
      preserved.add(j.source.ref);
    }
  }
  const [safe, unsafe] = split(cond, (c) => preserved.has(singleSource(c, ctx) ?? ""));
  return [plan, and(unsafe, pushChildren(plan, safe, ctx))];
}

/** Rewrites the tree under `root` in place. */
export function pushDownPredicates(
  root: ProjectPlan,
  a: AnalyzedSelect,
  options: LogicalPlanOptions,
): void {
  const ctx: Context = { aliases: a.aliases, options };
  // Find the WHERE filter: the first FilterPlan under the root's single-child chain.
  let parent: LogicalPlan = root;
  while (parent.children.length === 1 && parent.children[0].op !== "FilterPlan") {
    const child: LogicalPlan = parent.children[0];
    if (child.op === "DataSourcePlan") return;
    parent = child;
  }
  const where = parent.children[0];
  if (!where || where.op !== "FilterPlan") return;
  const [below, remaining] = push(where.children[0], where.condition, ctx);
  if (remaining) {
    where.condition = remaining;
    where.children = [below];
  } else {
    parent.children = [below];
  }
}
