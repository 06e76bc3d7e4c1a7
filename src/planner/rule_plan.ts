/**
 * The runtime plan of a rule: what `src/runtime/` builds its operators from, lowered from the
 * logical plan (`lower.ts`) with every expression compiled (`plan_rule.ts`).
 *
 * @module
 */
import type { SelectStatement, StreamField } from "../sql/ast.ts";
import type { Evaluator } from "../expr/types.ts";
import type { StreamDef } from "../catalog/stream_def.ts";
import type { Format } from "../formats/mod.ts";
import type { WindowStagePlan } from "../runtime/window_stage.ts";
import type { ProjectPlan } from "./logical/plan.ts";
import type { AnalyticSlots } from "./analytic_slots.ts";
import type { DispatchKey } from "./dispatch_key.ts";

export interface ProjectField {
  name: string;
  eval?: Evaluator;
  /** `*` (or `s.*`: `stream` set in a join), minus EXCEPT names, REPLACE fields applied after. */
  wildcard?: {
    stream?: string;
    except: Set<string>;
    replace: { name: string; eval: Evaluator }[];
  };
  /** `extract(...)`, `changed_cols(...)`: `eval` gives an object whose keys become columns. */
  expand?: true;
  /** `unnest(...)`: `eval` gives an array; one output row per element. */
  unnest?: true;
  /** `row_number()`: numbered per emission, within PARTITION BY, in ORDER BY order. */
  rowNumber?: { partitionBy: Evaluator[]; orderBy: { eval: Evaluator; descending: boolean }[] };
}

export interface OrderKey {
  eval: Evaluator;
  descending: boolean;
}

/** A rule ready to run. */
export interface RulePlan {
  stmt: SelectStatement;
  /** FROM first, then the joined streams. */
  sources: SourceStagePlan[];
  /** Scan tables joined with the streams. */
  tables: TableStagePlan[];
  /** Lookup tables (`KIND="lookup"`), read into a keyed index. */
  lookupTables: LookupTableStagePlan[];
  fields: ProjectField[];
  orderBy: OrderKey[] | undefined;
  limit: number | undefined;
  /** The set-at-a-time part (window -> join -> groups -> HAVING -> ORDER BY -> project), if the
   * rule has a window or joins tables. */
  window: WindowStagePlan | undefined;
  /** The logical plan this runtime plan was lowered from. */
  logical: ProjectPlan;
  /** The rule calls `delay()`: it reads one message per turn and can hold (delay_hold.ts). */
  usesDelay: boolean;
}

/** What the runtime needs to keep a scan table's current rows. */
export interface TableStagePlan {
  stream: StreamDef;
  ref: string;
  format: Format;
  schema: StreamField[] | undefined;
  /** How many of the latest rows the table holds (`RETAIN_SIZE`). */
  retainSize: number;
}

/** A lookup table: its source, read into an index by `KEY`. */
export interface LookupTableStagePlan extends TableStagePlan {
  key: string;
}

/** A lookup table: its source, read into an index by `KEY`. */
export interface LookupTableStagePlan extends TableStagePlan {
  key: string;
}

/** What the runtime needs to read one source. */
export interface SourceStagePlan {
  stream: StreamDef;
  /** The source's name in the rule (its alias, else its name): the tuples' emitter. */
  ref: string;
  format: Format;
  schema: StreamField[] | undefined;
  /** The WHERE part that runs right after decoding. */
  filter: Evaluator | undefined;
  /** Set when that WHERE starts with a pure `expr = constant`: a SHARED stream's fan-out
   * skips messages that cannot pass it (`dispatch_key.ts`). */
  dispatch: DispatchKey | undefined;
  /** Analytic functions, stepped for every event of this source before WHERE. */
  analytic: AnalyticSlots | undefined;
  /** The only columns a window keeps of this source's rows (it holds them until it closes). */
  keep: string[] | undefined;
}
