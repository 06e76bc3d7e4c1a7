/**
 * Name resolution for rules reading several sources (joins). Column references were bound by
 * the analyser to a source (`s.col`) or left unbound when several schemaless sources could
 * hold them; here they become accessors of a tuple's part for that source: a joined tuple
 * carries one message per source in `parts`, a row not yet joined is its own source's part.
 */
import type { CallExpr, FieldRef } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, ValueType } from "../expr/types.ts";
import { CompileError } from "../expr/types.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";
import type { SourceInfo } from "./analyze.ts";
import { staticType } from "./scope.ts";

/** The message of source `ref` in `t`, if `t` has one. */
export function partOf(t: Tuple, ref: string): Row | undefined {
  if (t.parts) return t.parts[ref];
  return t.emitter === ref ? t.message : undefined;
}

export class JoinScope implements CompileScope {
  private readonly types = new Map<string, Map<string, ValueType>>();

  constructor(
    private readonly sources: SourceInfo[],
    readonly aggregate?: (call: CallExpr) => CompiledExpr,
  ) {
    for (const s of sources) {
      this.types.set(s.ref, new Map(s.def.fields.map((f) => [f.name, staticType(f.type)])));
    }
  }

  field(ref: FieldRef): CompiledExpr {
    const name = ref.name;
    if (ref.stream !== undefined) {
      const source = ref.stream;
      const types = this.types.get(source);
      if (!types) throw new CompileError(`unknown stream ${source}`, ref.span);
      return {
        type: types.get(name) ?? "any",
        eval: (t: Tuple) => {
          const v = partOf(t, source)?.[name];
          return v === undefined ? null : v;
        },
      };
    }
    // Unbound: the first schemaless source that has the key, in FROM/JOIN order.
    const refs = this.sources.filter((s) => !s.columns).map((s) => s.ref);
    return {
      type: "any",
      eval: (t: Tuple) => {
        for (const r of refs) {
          const v = partOf(t, r)?.[name];
          if (v !== undefined) return v;
        }
        return null;
      },
    };
  }
}
