/** `op_<n>_decoder`: payload bytes → tuples, through the stream's format and schema. */
import type { RawMessage } from "../../io/types.ts";
import type { Format } from "../../formats/mod.ts";
import type { StreamField } from "../../sql/ast.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";

export class DecoderOp implements Operator<RawMessage, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly emitter: string,
    private readonly format: Format,
    private readonly schema: StreamField[] | undefined,
  ) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: RawMessage[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const opts = { schema: this.schema };
    for (const m of batch) {
      let decoded: Row | Row[];
      try {
        decoded = m.row ?? this.format.decode(m.payload ?? new Uint8Array(), opts);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
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
