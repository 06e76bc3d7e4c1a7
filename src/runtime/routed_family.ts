/**
 * Rules alike run a routed message through the same objects and each touch only a slot of its
 * own.
 *
 * 100 rules `SELECT id, temperature, ts FROM s WHERE id % 100 = k AND temperature > 30` on a
 * SHARED stream each get one message in a hundred, run at once in the fan-out. Through its own
 * rule's objects (the runtime, its project operator, sink node, transform, format, connector,
 * connection handle) a message touched some thirty cache lines that the 99 other rules'
 * messages had pushed out of the CPU's caches since. That, not the work, made a message cost
 * 1.2-1.3× S1's: with 100 rules present and every message routed to one of them, it cost S1's
 * (bench/RESULTS.md, session 19).
 *
 * Rules whose routed path is the same (the rest of the WHERE, the projection, and sinks made
 * from equal props that send through one connection to one place, `SinkSpec.sharedSend`) form a
 * family. A message routed to a member is judged, projected, transformed, encoded and sent by
 * the family's objects (its first member's, all alike), and counted in the member's slot.
 * Whatever the family cannot do at once goes the member's own way (`RuleRuntime.runRouted`):
 * when its slot says it cannot take a message now, once per {@link LATENCY_SAMPLE_MS} (its
 * nodes' latency stays sampled), and when an expression fails (the rule counts the error).
 *
 * @module
 */
import type { Evaluator } from "../expr/types.ts";
import type { OpContext } from "./operator.ts";
import { PassCount } from "./metrics.ts";
import type { ProjectOp } from "./operators/project.ts";
import { type DirectSend, sendDirect, type SinkNode } from "./sink_node.ts";
import { LATENCY_SAMPLE_MS } from "./timed_step.ts";
import type { Row, Tuple } from "./tuple.ts";

/** Slot bits: the rule is not running. */
export const SLOT_STOPPED = 1;
/** The rule is in a run of its own (a sink feeding its own source must not overtake it). */
export const SLOT_IN_TURN = 2;
/** Messages wait in the rule's buffer: later ones wait behind them. */
export const SLOT_BUFFERED = 4;
/** Sink k of the rule has results waiting, is not connected yet or is closed: bit 8 << k. */
export const slotSinkBit = (k: number): number => 8 << k;
/** Sinks a family member may have (one bit each). */
export const MAX_FAMILY_SINKS = 24;

/**
 * A member's state on the family's path: why it cannot take a message at once now, and the
 * messages it took (the rule's source, decoder, filter and project count them together: it is
 * their `PassCount`).
 */
export class RoutedSlot extends PassCount {
  /** A bit per reason the member cannot take a message at once now; 0 when it can. */
  off = SLOT_STOPPED;
  /** Until when (epoch ms) messages may go the family's path, uncounted by the nodes. */
  until = 0;

  constructor(
    readonly ctx: OpContext,
    /** Per sink: the results sent at once (transform, encode and sink count them together). */
    readonly sinkPasses: PassCount[],
    /** The member's sinks: a result a shared sender did not take goes the counted way. */
    readonly sinks: SinkNode[],
  ) {
    super();
  }

  set(bit: number, on: boolean): void {
    if (on) this.off |= bit;
    else this.off &= ~bit;
  }
}

/** What a rule offers its family: its routed path, and its slot. */
export interface RoutedPath {
  /** Equal keys, same path: rules are in one family. */
  key: string;
  /** The rest of the WHERE (the routing conjunct taken as true); undefined: nothing else. */
  judge: Evaluator | undefined;
  project: ProjectOp;
  senders: DirectSend[];
  slot: RoutedSlot;
}

export class RoutedFamily {
  readonly #members = new Set<RoutedPath>();
  /** The member whose objects the family runs (any member's would do). */
  #lead: RoutedPath | undefined;

  get size(): number {
    return this.#members.size;
  }

  add(path: RoutedPath): void {
    this.#members.add(path);
    this.#lead ??= path;
  }

  remove(path: RoutedPath): void {
    this.#members.delete(path);
    if (this.#lead === path) this.#lead = this.#members.values().next().value;
  }

  /**
   * Runs a message routed to the member of `slot`: true when done (sent, or its WHERE is
   * false), false when the member must take it its own way.
   */
  run(slot: RoutedSlot, t: Tuple, now: number): boolean {
    if (slot.off !== 0) return false;
    if (!(now < slot.until)) {
      slot.until = now + LATENCY_SAMPLE_MS;
      return false;
    }
    const lead = this.#lead!;
    const ctx = slot.ctx;
    const judge = lead.judge;
    let row: Row;
    try {
      if (judge !== undefined && judge(t, ctx) !== true) return true;
      row = lead.project.row(t, ctx);
    } catch {
      // Pure expressions: the member's own way evaluates them again and counts the error.
      return false;
    }
    slot.n++;
    slot.at = now;
    const senders = lead.senders;
    for (let k = 0; k < senders.length; k++) {
      if (!sendDirect(senders[k], row, slot.sinkPasses[k], now)) {
        slot.sinks[k].collectEach([row], now);
      }
    }
    return true;
  }
}
