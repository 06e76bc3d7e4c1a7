/**
 * `op_<n>_decoder`: payload bytes → tuples, through the stream's format and schema. A payload
 * the format cannot decode is a per-record error (counted in this node's exceptions), never a
 * crash. Formats that carry their own schema (protobuf, custom) get no stream schema: their
 * rows already have the schema's types, so there is no second validation pass.
 */
import type { RawMessage } from "../../io/types.ts";
import type { DecodeOptions, Format } from "../../formats/mod.ts";
import type { StreamField } from "../../sql/ast.ts";
import { errorMessage } from "../../errors.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";

const EMPTY = new Uint8Array();

export class DecoderOp implements Operator<RawMessage, Tuple> {
  readonly metrics: NodeMetrics;
  private readonly opts: DecodeOptions;

  constructor(
    readonly name: string,
    private readonly emitter: string,
    private readonly format: Format,
    schema: StreamField[] | undefined,
  ) {
    this.metrics = new NodeMetrics(name);
    this.opts = { schema: format.schemaful ? undefined : schema };
  }

  process(batch: RawMessage[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const opts = this.opts;
    for (const m of batch) {
      let decoded: Row | Row[];
      try {
        decoded = m.row ?? this.format.decode(m.payload ?? EMPTY, opts);
      } catch (e) {
        ctx.error(this.metrics, errorMessage(e));
        continue;
      }
      if (Array.isArray(decoded)) {
        for (const r of decoded) {
          out.push({ emitter: this.emitter, message: r, meta: m.meta, timestamp: m.timestamp });
        }
      } else {
        out.push({ emitter: this.emitter, message: decoded, meta: m.meta, timestamp: m.timestamp });
      }
    }
    return out;
  }
}
