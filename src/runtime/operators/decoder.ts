/**
 * `op_<n>_decoder`: payload bytes -> tuples, through the stream's format and schema. A payload
 * the format cannot decode is a per-record error (counted in this node's exceptions), never a
 * crash. Formats that carry their own schema (protobuf, custom) get no stream schema: their
 * rows already have the schema's types, so there is no second validation pass.
 *
 * On a SHARED stream every rule gets the same message objects: the first decoder to meet a
 * message leaves the result on it (`RawMessage.decoded`) and the others reuse it, so a message
 * is decoded once however many rules read the stream. Rows are never mutated downstream, so
 * they can be shared (as a memory source's rows already are).
 */
import type { DecodedPayload, RawMessage } from "../../io/types.ts";
import type { DecodeOptions, Format } from "../../formats/mod.ts";
import type { StreamField } from "../../sql/ast.ts";
import { errorMessage } from "../../errors.ts";
import { NodeMetrics } from "../metrics.ts";
import { intern } from "../../util/intern.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";

const EMPTY = new Uint8Array();

export class DecoderOp implements Operator<RawMessage, Tuple> {
  readonly metrics: NodeMetrics;
  private readonly opts: DecodeOptions;
  /** Set on a SHARED stream: the key under which decoded payloads are shared. */
  private readonly sharedKey: string | undefined;

  constructor(
    readonly name: string,
    private readonly emitter: string,
    private readonly format: Format,
    schema: StreamField[] | undefined,
    /** SHARED stream; `tuples` when nothing downstream in the rule writes to its tuples (no
     * analytic functions, no event-time stamping), so they can be shared too. */
    shared?: { stream: string; tuples: boolean },
  ) {
    this.metrics = new NodeMetrics(name);
    this.opts = { schema: format.schemaful ? undefined : schema };
    this.sharedKey = shared &&
      intern(`${shared.stream}|${format.name}|${JSON.stringify(this.opts.schema ?? null)}`);
    this.shareTuples = shared?.tuples === true;
    this.tupleKey = this.shareTuples ? intern(`${this.sharedKey}|${emitter}`) : undefined;
  }

  private readonly shareTuples: boolean;
  /** Rules sharing tuples: equal keys get the very same tuple object for a message (same
   * decoding, same emitter). Interned. */
  readonly tupleKey: string | undefined;

  /** Rules on a SHARED stream that never write to their tuples share them. */
  get sharesTuples(): boolean {
    return this.shareTuples;
  }

  /** On a SHARED stream: the message's decoding for this stream, decoded once and left on the
   * message for the other rules. */
  private sharedEntry(m: RawMessage): DecodedPayload {
    const key = this.sharedKey!;
    for (let d = m.decoded; d !== undefined; d = d.next) if (d.key === key) return d;
    return m.decoded = {
      key,
      value: this.decode(m),
      tuples: undefined,
      emitter: undefined,
      next: m.decoded,
    };
  }

  /** The message's rows, or the Error decoding failed with. */
  private decode(m: RawMessage): Row | Row[] | Error {
    let value: Row | Row[] | Error;
    try {
      const f = this.format;
      value = m.row ??
        (m.chunk !== undefined && f.decodeIn !== undefined
          ? f.decodeIn(m.chunk, m.start!, m.end!, this.opts)
          : f.decode(m.payload ?? EMPTY, this.opts));
    } catch (e) {
      value = new Error(errorMessage(e));
    }
    return value;
  }

  /**
   * For a SHARED stream's fan-out (rules sharing tuples only): the message's one tuple,
   * decoded once and left on the message for every rule; an Error when it does not decode
   * (each rule then counts it as it reads the message); undefined for several rows.
   */
  sharedTuple(m: RawMessage): Tuple | Error | undefined {
    const d = this.sharedEntry(m);
    const value = d.value;
    if (value instanceof Error) return value;
    if (Array.isArray(value)) return undefined;
    const tuples = d.tuples;
    if (tuples !== undefined) {
      return d.emitter === this.emitter && !Array.isArray(tuples) ? tuples : undefined;
    }
    const t = this.tupleOf(m, value);
    d.tuples = t;
    d.emitter = this.emitter;
    return t;
  }

  private tupleOf(m: RawMessage, message: Row): Tuple {
    return {
      emitter: this.emitter,
      message,
      meta: m.meta,
      timestamp: m.timestamp,
      // Present from the start: a tuple the fan-out marks keeps its hidden class.
      routedBy: undefined,
    };
  }

  process(batch: RawMessage[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const sharedKey = this.sharedKey;
    for (const m of batch) {
      const entry = sharedKey === undefined ? undefined : this.sharedEntry(m);
      const decoded = entry === undefined ? this.decode(m) : entry.value;
      if (decoded instanceof Error) {
        ctx.error(this.metrics, decoded.message);
        continue;
      }
      const shared = this.shareTuples ? entry : undefined;
      const tuples = shared?.tuples;
      if (tuples !== undefined && shared!.emitter === this.emitter) {
        if (Array.isArray(tuples)) { for (const t of tuples) out.push(t); }
        else out.push(tuples);
        continue;
      }
      // The first rule to make tuples of this message leaves them for the others.
      const keep = shared !== undefined && tuples === undefined;
      let made: Tuple | Tuple[] | undefined;
      if (Array.isArray(decoded)) {
        const first = out.length;
        for (const r of decoded) out.push(this.tupleOf(m, r));
        if (keep) made = out.slice(first);
      } else {
        made = this.tupleOf(m, decoded);
        out.push(made);
      }
      if (keep) {
        shared.tuples = made;
        shared.emitter = this.emitter;
      }
    }
    return out;
  }
}
