/**
 * `op_<n>_payload_decoder`: the decoder after a merging ratelimit step. Each input carries the
 * frames kept for one interval (the latest message per `mergeField` value); they are decoded
 * and merged into one row, later updates overwriting earlier ones field by field, as eKuiper's
 * payload batch decoder merges its frames.
 */
import type { RawMessage } from "../../io/types.ts";
import type { DecodeOptions, Format } from "../../formats/mod.ts";
import type { StreamField } from "../../sql/ast.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";
import { isMerged } from "./ratelimit.ts";

export class PayloadDecoderOp implements Operator<RawMessage, Tuple> {
  readonly metrics: NodeMetrics;
  private readonly opts: DecodeOptions;

  constructor(
    readonly name: string,
    private readonly emitter: string,
    private readonly format: Format,
    schema: StreamField[] | undefined,
  ) {
    this.metrics = new NodeMetrics(name);
    // Formats with their own schema decode to its types already (as the plain decoder).
    this.opts = { schema: format.schemaful ? undefined : schema };
  }

  process(batch: RawMessage[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const opts = this.opts;
    for (const m of batch) {
      const frames = isMerged(m) ? m.frames : m.payload ? [m.payload] : [];
      const row: Row = {};
      let decoded = 0;
      for (const f of frames) {
        let r: Row | Row[];
        try {
          r = this.format.decode(f, opts);
        } catch (e) {
          ctx.error(this.metrics, (e as Error).message);
          continue;
        }
        if (Array.isArray(r)) { for (const one of r) Object.assign(row, one); }
        else Object.assign(row, r);
        decoded++;
      }
      if (decoded > 0) {
        out.push({ emitter: this.emitter, message: row, meta: m.meta, timestamp: m.timestamp });
      }
    }
    return out;
  }
}
