/**
 * Name binding for a single-stream rule: a column reference becomes a closure reading the
 * decoded message. `s.col` where `s` is the FROM stream (or its alias) is the column; `a.b`
 * where `a` is not a source is JSON key access (`a->b`), as eKuiper rewrites it. Typed streams
 * reject unknown columns at plan time; schemaless streams accept any name.
 */
import type { CallExpr, FieldRef, FieldType, Span } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, ValueType } from "../expr/types.ts";
import { CompileError } from "../expr/types.ts";
import type { StreamDef } from "../catalog/stream_def.ts";
import type { Tuple } from "../runtime/tuple.ts";

export function staticType(t: FieldType): ValueType {
  switch (t.type) {
    case "array":
      return "array";
    case "struct":
      return "struct";
    default:
      return t.type;
  }
}

function column(name: string, type: ValueType): CompiledExpr {
  return {
    type,
    column: name,
    eval: (t: Tuple) => {
      const v = t.message[name];
      return v === undefined ? null : v;
    },
  };
}

function jsonKey(base: string, key: string): CompiledExpr {
  return {
    type: "any",
    eval: (t: Tuple) => {
      const o = t.message[base];
      if (o === null || typeof o !== "object" || Array.isArray(o)) return null;
      const v = (o as Record<string, unknown>)[key];
      return v === undefined ? null : v;
    },
  };
}

export class StreamScope implements CompileScope {
  private readonly types: Map<string, ValueType> | undefined;
  readonly shareKey: string;

  constructor(
    private readonly stream: StreamDef,
    private readonly alias: string | undefined,
    readonly aggregate?: (call: CallExpr) => CompiledExpr,
    readonly analytic?: (call: CallExpr) => CompiledExpr,
  ) {
    this.shareKey = JSON.stringify(["stream", stream.name, alias ?? null, stream.fields]);
    this.types = stream.fields.length > 0
      ? new Map(stream.fields.map((f) => [f.name, staticType(f.type)]))
      : undefined;
  }

  isSource(name: string): boolean {
    return name === this.stream.name || name === this.alias;
  }

  field(ref: FieldRef): CompiledExpr {
    if (ref.stream !== undefined && !this.isSource(ref.stream)) {
      // `a.b` with `a` not a source: key `b` of column `a`.
      this.check(ref.stream, ref.span);
      return jsonKey(ref.stream, ref.name);
    }
    return column(ref.name, this.check(ref.name, ref.span));
  }

  private check(name: string, span: Span): ValueType {
    if (!this.types) return "any";
    const t = this.types.get(name);
    if (!t) throw new CompileError(`unknown field ${name} in stream ${this.stream.name}`, span);
    return t;
  }
}
