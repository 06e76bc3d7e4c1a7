/**
 * Scalar function calls, and the metadata functions `meta()` / `mqtt()`.
 *
 * A call is resolved by lowercase name in the registry, checked (arity, then the function's
 * literal checks) and compiled into a closure specialised by argument count: arguments are
 * evaluated into a buffer owned by the call site, so no array is allocated per record. The
 * null policy short-circuits before `exec`; whatever `exec` throws becomes
 * `call func <name> error: <message>`. Calls of pure functions on constants are folded.
 *
 * Aggregates are delegated to `scope.aggregate` (the planner computes them per group);
 * analytic calls to `scope.analytic` when the planner hoists them, else they are compiled in
 * place with their own state (`analytic.ts`). Window and set-returning functions are compiled
 * by the planner, not here.
 *
 * @module
 */
import type { CallExpr, Expr, Wildcard } from "../sql/ast.ts";
import type { FunctionDef } from "../functions/types.ts";
import { callError, nilResult } from "../functions/invoke.ts";
import { checkArgs, resolveReturnType } from "../functions/signature.ts";
import type { CompiledExpr, EvalContext, Evaluator } from "./types.ts";
import { CompileError } from "./types.ts";
import { MSG } from "./messages.ts";
import { isNilArg } from "./values.ts";
import { accessKey } from "./access.ts";
import { type CompileCtx, fold } from "./_node.ts";
import { compileInlineAnalytic } from "./analytic.ts";
import { compileHit } from "./hit.ts";

/** `*` as an argument (`count(*)`, `to_json(*)`): the whole message of the row. */
export function compileWildcardArg(_w: Wildcard): CompiledExpr {
  return { eval: (t) => t.message, type: "struct", wholeRow: true };
}

function buildCall(def: FunctionDef, evals: readonly Evaluator[]): Evaluator {
  const { exec, name } = def;
  const run = (args: unknown[], c: EvalContext): unknown => {
    try {
      return exec(args, c);
    } catch (e) {
      throw callError(name, e);
    }
  };
  const checked = def.nullPolicy !== "custom";
  const nil = nilResult(def);
  const buf: unknown[] = new Array(evals.length).fill(null);
  switch (evals.length) {
    case 0:
      return (_t, c) => run(buf, c);
    case 1: {
      const [e0] = evals;
      return checked
        ? (t, c) => {
          const a = e0(t, c);
          if (isNilArg(a)) return nil;
          buf[0] = a;
          return run(buf, c);
        }
        : (t, c) => {
          buf[0] = e0(t, c);
          return run(buf, c);
        };
    }
    case 2: {
      const [e0, e1] = evals;
      return (t, c) => {
        const a = e0(t, c), b = e1(t, c);
        if (checked && (isNilArg(a) || isNilArg(b))) return nil;
        buf[0] = a;
        buf[1] = b;
        return run(buf, c);
      };
    }
    case 3: {
      const [e0, e1, e2] = evals;
      return (t, c) => {
        const a = e0(t, c), b = e1(t, c), d = e2(t, c);
        if (checked && (isNilArg(a) || isNilArg(b) || isNilArg(d))) return nil;
        buf[0] = a;
        buf[1] = b;
        buf[2] = d;
        return run(buf, c);
      };
    }
    default:
      return (t, c) => {
        let skip = false;
        for (let i = 0; i < evals.length; i++) {
          const v = evals[i](t, c);
          if (checked && isNilArg(v)) skip = true;
          buf[i] = v;
        }
        return skip ? nil : run(buf, c);
      };
  }
}

/** The key path of a metadata reference: `topic`, `a->b->c`; undefined if not one. */
function metaPath(e: Expr): string[] | undefined {
  if (e.kind === "FieldRef") return [e.name];
  if (e.kind === "Access") {
    const base = metaPath(e.object);
    return base && [...base, e.key];
  }
  return undefined;
}

/**
 * `meta(key)`, `meta(key->nested)`, `meta(*)` and `mqtt(topic|messageid)` read the tuple's
 * metadata. Keys are case-sensitive, except that `mqtt()` accepts its two names in any case
 * and `mqtt(messageid)` finds the MQTT client's `messageId` (eKuiper's documented spelling does
 * not match its own key). A stream qualifier (`meta(s.topic)`) is accepted and ignored, since a
 * tuple carries the metadata of its own stream.
 */
function compileMeta(name: "meta" | "mqtt", call: CallExpr): CompiledExpr {
  const arg = call.args[0];
  const fail = (m: string) => new CompileError(MSG.validateFunction(name, m), call.span);
  if (name === "mqtt") {
    if (arg.kind !== "FieldRef") throw fail(MSG.metaReference);
    const key = arg.name.toLowerCase();
    if (key !== "topic" && key !== "messageid") throw fail(MSG.mqttParameter);
    const alt = key === "topic" ? "topic" : "messageId";
    const exact = arg.name;
    return {
      eval: (t) => {
        const v = accessKey(t.meta, exact);
        return v === null ? accessKey(t.meta, alt) : v;
      },
      type: "any",
    };
  }
  if (arg.kind === "Wildcard") return { eval: (t) => t.meta ?? null, type: "struct" };
  const path = metaPath(arg);
  if (!path) throw fail(MSG.metaReference);
  if (path.length === 1) {
    const [key] = path;
    return { eval: (t) => accessKey(t.meta, key), type: "any" };
  }
  return {
    eval: (t) => {
      let v: unknown = t.meta;
      for (const key of path) v = accessKey(v, key);
      return v;
    },
    type: "any",
  };
}

export function compileCall(call: CallExpr, cc: CompileCtx): CompiledExpr {
  const name = call.name.toLowerCase();
  const def = cc.registry.get(name);
  if (!def) throw new CompileError(MSG.functionNotFound(name), call.span);
  const err = checkArgs(def, call.args);
  if (err) throw new CompileError(MSG.validateFunction(name, err), call.span);
  if (def.hit) {
    if (call.over) throw new CompileError(MSG.overNotAllowed(name), call.span);
    if (call.filter) throw new CompileError(MSG.filterNotAllowed(name), call.span);
    return compileHit(def.hit, def.kind === "aggregate", cc.scope.hitSite);
  }
  if (def.kind === "aggregate") {
    if (!cc.scope.aggregate) throw new CompileError(MSG.aggregateNotAllowed(name), call.span);
    return cc.scope.aggregate(call);
  }
  if (def.kind === "analytic") {
    if (call.filter) throw new CompileError(MSG.filterNotAllowed(name), call.span);
    return cc.scope.analytic
      ? cc.scope.analytic(call)
      : compileInlineAnalytic(call, cc.scope, cc.registry);
  }
  if (def.kind !== "scalar") throw new CompileError(MSG.kindNotAllowed(def.kind, name), call.span);
  if (call.over) throw new CompileError(MSG.overNotAllowed(name), call.span);
  if (call.filter) throw new CompileError(MSG.filterNotAllowed(name), call.span);
  if (name === "meta" || name === "mqtt") return compileMeta(name, call);
  // The event's own timestamp; in a window, the window's end (eKuiper).
  if (name === "event_time") {
    return { eval: (t, c) => (c.window ? c.window.end : t.timestamp), type: "bigint" };
  }
  const args = call.args.map((
    a,
  ) => (a.kind === "Wildcard" ? compileWildcardArg(a) : cc.compile(a)));
  const type = resolveReturnType(def, args.map((a) => a.type), call.args);
  const node: CompiledExpr = { eval: buildCall(def, args.map((a) => a.eval)), type };
  return def.volatile ? node : fold(node, args);
}
