/**
 * The window engine (SPEC §5): {@link WindowOperator} over a {@link WindowSpec}.
 * See operator.ts for the runtime contract.
 *
 * @module
 */
export {
  DEFAULT_LATE_TOLERANCE,
  WindowOperator,
  type WindowOptions,
  type WindowSnapshot,
} from "./operator.ts";
export {
  type TimeUnit,
  unitMs,
  type WindowSpec,
  WindowSpecError,
  windowSpecFromAst,
} from "./spec.ts";
export { alignedWindowEnd, fixedOffset, localTimezone, type TimezoneOffset } from "./align.ts";
export { type KeyFn, type Predicate, type WindowResult, WindowStateError } from "./types.ts";
export { FoldError, type FoldFunc, type FoldPlan, GroupFold } from "./group_fold.ts";
