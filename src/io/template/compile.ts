/**
 * Compiles a parsed template into closures, once: variables are resolved to array slots at
 * compile time (an unknown `$x` is a compile error, as in Go), function names are looked up once,
 * field paths become fixed key lists. Rendering one result is then closure calls and string
 * appends, with no parsing or name lookups.
 *
 * @module
 */
import type { Arg, Command, Node, Pipe } from "./parser.ts";
import { TemplateError } from "./errors.ts";
import { goPrint, goTypeName, truthy } from "./go_values.ts";
import { type TemplateFunc, templateFuncs } from "./funcs.ts";

type Vars = unknown[];
type Render = (dot: unknown, vars: Vars) => string;
type Eval = (dot: unknown, vars: Vars) => unknown;
/** A command of a pipeline; `prev` is the previous command's result (NONE for the first). */
type CmdEval = (dot: unknown, vars: Vars, prev: unknown) => unknown;

const NONE = Symbol("none");
const BREAK = { loop: "break" };
const CONTINUE = { loop: "continue" };

export interface CompiledTemplate {
  /** Number of variable slots an execution needs (slot 0 is `$`). */
  slots: number;
  render: Render;
}

class Scope {
  private readonly frames: Map<string, number>[] = [new Map([["$", 0]])];
  slots = 1;

  push(): void {
    this.frames.push(new Map());
  }

  pop(): void {
    this.frames.pop();
  }

  declare(name: string): number {
    const slot = this.slots++;
    this.frames[this.frames.length - 1].set(name, slot);
    return slot;
  }

  lookup(name: string, line: number): number {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const s = this.frames[i].get(name);
      if (s !== undefined) return s;
    }
    throw new TemplateError(`line ${line}: undefined variable "${name}"`);
  }
}

export function compileNodes(nodes: Node[]): CompiledTemplate {
  const scope = new Scope();
  const render = compileList(nodes, scope);
  return { slots: scope.slots, render };
}

function compileList(nodes: Node[], scope: Scope): Render {
  const parts = nodes.map((n) => compileNode(n, scope));
  if (parts.length === 0) return () => "";
  if (parts.length === 1) return parts[0];
  return (dot, vars) => {
    let s = "";
    for (let i = 0; i < parts.length; i++) s += parts[i](dot, vars);
    return s;
  };
}

function compileNode(node: Node, scope: Scope): Render {
  switch (node.kind) {
    case "text": {
      const t = node.text;
      return () => t;
    }
    case "action": {
      const ev = compilePipe(node.pipe, scope);
      if (node.pipe.vars.length > 0) {
        return (dot, vars) => {
          ev(dot, vars);
          return "";
        };
      }
      return (dot, vars) => goPrint(ev(dot, vars));
    }
    case "break":
      return () => {
        throw BREAK;
      };
    case "continue":
      return () => {
        throw CONTINUE;
      };
    case "if":
    case "with":
      return compileIfWith(node.kind, node.pipe, node.list, node.elseList, scope);
    case "range":
      return compileRange(node.pipe, node.list, node.elseList, scope);
  }
}

function compileIfWith(
  kind: "if" | "with",
  pipe: Pipe,
  list: Node[],
  elseList: Node[] | undefined,
  scope: Scope,
): Render {
  scope.push();
  const cond = compilePipe(pipe, scope);
  const body = compileList(list, scope);
  const alt = elseList ? compileList(elseList, scope) : undefined;
  scope.pop();
  if (kind === "if") {
    return (dot, vars) => truthy(cond(dot, vars)) ? body(dot, vars) : alt ? alt(dot, vars) : "";
  }
  return (dot, vars) => {
    const v = cond(dot, vars);
    return truthy(v) ? body(v, vars) : alt ? alt(dot, vars) : "";
  };
}

function compileRange(
  pipe: Pipe,
  list: Node[],
  elseList: Node[] | undefined,
  scope: Scope,
): Render {
  scope.push();
  // Range variables get their values per iteration, not the pipeline's value.
  const slots = pipe.vars.map((v) => scope.declare(v));
  const value = compilePipe({ ...pipe, vars: [] }, scope);
  const body = compileList(list, scope);
  const alt = elseList ? compileList(elseList, scope) : undefined;
  scope.pop();
  const [first, second] = slots;
  const iteration = (key: unknown, elem: unknown, vars: Vars): string | undefined => {
    if (second !== undefined) {
      vars[first] = key;
      vars[second] = elem;
    } else if (first !== undefined) {
      vars[first] = elem;
    }
    try {
      return body(elem, vars);
    } catch (e) {
      if (e === CONTINUE) return "";
      if (e === BREAK) return undefined;
      throw e;
    }
  };
  return (dot, vars) => {
    const v = value(dot, vars);
    let s = "";
    if (Array.isArray(v)) {
      if (v.length === 0) return alt ? alt(dot, vars) : "";
      for (let i = 0; i < v.length; i++) {
        const r = iteration(BigInt(i), v[i], vars);
        if (r === undefined) break;
        s += r;
      }
      return s;
    }
    if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) {
      const n = Number(v);
      if (n <= 0) return alt ? alt(dot, vars) : "";
      for (let i = 0; i < n; i++) {
        const r = iteration(BigInt(i), BigInt(i), vars);
        if (r === undefined) break;
        s += r;
      }
      return s;
    }
    if (v === null || v === undefined) return alt ? alt(dot, vars) : "";
    if (typeof v === "object" && !(v instanceof Uint8Array)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      if (keys.length === 0) return alt ? alt(dot, vars) : "";
      for (const k of keys) {
        const r = iteration(k, o[k], vars);
        if (r === undefined) break;
        s += r;
      }
      return s;
    }
    throw new TemplateError(`line ${pipe.line}: range can't iterate over ${goPrint(v)}`);
  };
}

function compilePipe(pipe: Pipe, scope: Scope): Eval {
  const cmds = pipe.cmds.map((c) => compileCommand(c, scope, pipe.line));
  // Declarations take effect after the value is computed: `{{$x := $x}}` reads the outer $x.
  const slots = pipe.vars.map((v) => pipe.assign ? scope.lookup(v, pipe.line) : scope.declare(v));
  const single = cmds.length === 1 ? cmds[0] : undefined;
  const run: Eval = single ? (dot, vars) => single(dot, vars, NONE) : (dot, vars) => {
    let v: unknown = NONE;
    for (let i = 0; i < cmds.length; i++) v = cmds[i](dot, vars, v);
    return v;
  };
  if (slots.length === 0) return run;
  const slot = slots[0];
  return (dot, vars) => {
    const v = run(dot, vars);
    vars[slot] = v;
    return v;
  };
}

function compileCommand(cmd: Command, scope: Scope, line: number): CmdEval {
  const head = cmd.args[0];
  if (head.kind === "func") {
    const name = head.name;
    const argEvals = cmd.args.slice(1).map((a) => compileArg(a, scope, line));
    if (name === "and" || name === "or") return lazyLogic(name, argEvals);
    const fn: TemplateFunc | undefined = Object.hasOwn(templateFuncs, name)
      ? templateFuncs[name]
      : undefined;
    if (!fn) throw new TemplateError(`line ${line}: function "${name}" not defined`);
    const n = argEvals.length;
    return (dot, vars, prev) => {
      const args = new Array(prev === NONE ? n : n + 1);
      for (let i = 0; i < n; i++) args[i] = argEvals[i](dot, vars);
      if (prev !== NONE) args[n] = prev;
      try {
        return fn(args);
      } catch (e) {
        if (e instanceof TemplateError) {
          throw new TemplateError(
            `line ${line}: ${
              e.message.startsWith("error calling") ? "" : `error calling ${name}: `
            }${e.message}`,
          );
        }
        throw new TemplateError(`line ${line}: error calling ${name}: ${(e as Error).message}`);
      }
    };
  }
  if (cmd.args.length > 1) {
    throw new TemplateError(`line ${line}: can't give argument to non-function ${describe(head)}`);
  }
  const ev = compileArg(head, scope, line);
  return (dot, vars, prev) => {
    if (prev !== NONE) {
      throw new TemplateError(
        `line ${line}: can't give argument to non-function ${describe(head)}`,
      );
    }
    return ev(dot, vars);
  };
}

function describe(a: Arg): string {
  switch (a.kind) {
    case "field":
      return "." + a.path.join(".");
    case "variable":
      return [a.name, ...a.path].join(".");
    case "dot":
      return ".";
    case "literal":
      return goPrint(a.value);
    default:
      return a.kind;
  }
}

/** Go 1.18+: `and`/`or` stop evaluating at the first deciding argument. */
function lazyLogic(name: "and" | "or", args: Eval[]): CmdEval {
  return (dot, vars, prev) => {
    const all = prev === NONE ? args : [...args, () => prev];
    if (all.length === 0) {
      throw new TemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
    }
    let v: unknown;
    for (const a of all) {
      v = a(dot, vars);
      if (truthy(v) === (name === "or")) return v;
    }
    return v;
  };
}

function compileArg(arg: Arg, scope: Scope, line: number): Eval {
  switch (arg.kind) {
    case "dot":
      return (dot) => dot;
    case "literal": {
      const v = arg.value;
      return () => v;
    }
    case "field": {
      const path = arg.path;
      return (dot) => walk(dot, path, line);
    }
    case "variable": {
      const slot = scope.lookup(arg.name, line);
      const path = arg.path;
      return path.length === 0
        ? (_dot, vars) => vars[slot]
        : (_dot, vars) => walk(vars[slot], path, line);
    }
    case "pipe":
      return compilePipe(arg.pipe, scope);
    case "chain": {
      const inner = compileArg(arg.arg, scope, line);
      const path = arg.path;
      return (dot, vars) => walk(inner(dot, vars), path, line);
    }
    case "func": {
      // A function name used as an argument is called with no arguments: `{{len (list)}}`.
      const fn = Object.hasOwn(templateFuncs, arg.name) ? templateFuncs[arg.name] : undefined;
      if (!fn) throw new TemplateError(`line ${line}: function "${arg.name}" not defined`);
      return () => fn([]);
    }
  }
}

/** Field access on maps; a missing key or a nil receiver gives Go's `<no value>`. */
function walk(v: unknown, path: string[], line: number): unknown {
  for (let i = 0; i < path.length; i++) {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "object" || Array.isArray(v) || v instanceof Uint8Array || v instanceof Date) {
      throw new TemplateError(
        `line ${line}: can't evaluate field ${path[i]} in type ${goTypeName(v)}`,
      );
    }
    const o = v as Record<string, unknown>;
    v = Object.hasOwn(o, path[i]) ? o[path[i]] : undefined;
  }
  return v;
}
