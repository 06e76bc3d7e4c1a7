/**
 * Error texts users can see, kept in one table because compatibility tests compare them with
 * eKuiper's character for character (`internal/xsql/valuer.go`, `internal/binder/function`).
 * eKuiper's wording, capitalisation and final periods are kept on purpose, typos included.
 *
 * @module
 */

export const MSG = {
  // Evaluation (EvalError)
  dividedByZero: "divided by zero",
  invalidOp: (l: string, op: string, r: string): string => `invalid operation ${l} ${op} ${r}`,
  invalidUnary: (op: string, v: string): string => `invalid operation ${op} ${v}`,
  outOfIndex: (i: number, n: number): string => `out of index: ${i} of ${n}`,
  startOutOfIndex: (i: number, n: number): string => `start value is out of index: ${i} of ${n}`,
  endOutOfIndex: (i: number, n: number): string => `end value is out of index: ${i} of ${n}`,
  startAfterEnd: (s: number, e: number): string =>
    `start cannot be greater than end. start:${s}  end:${e}`,
  notAMap: (v: string): string => `the result ${v} is not a type of map[string]interface{}`,
  invalidOpFor: (op: string, type: string): string => `${op} is an invalid operation for ${type}`,
  indexNotInt: (v: string): string => `index ${v} is not int`,
  likeLeft: (v: string): string => `LIKE operator left operand expects string, but found ${v}`,
  likePattern: (v: string): string => `invalid LIKE pattern, must be a string but got ${v}`,
  betweenCompare: (a: string, b: string): string => `between operator cannot compare ${a} and ${b}`,
  caseError: (m: string): string => `evaluate case expression error: ${m}`,
  callError: (name: string, m: string): string => `call func ${name} error: ${m}`,

  // Compilation (CompileError)
  functionNotFound: (name: string): string => `function ${name} not found`,
  validateFunction: (name: string, m: string): string => `validate function ${name} error: ${m}`,
  expectArgs: (n: number, found: number): string => `Expect ${n} arguments but found ${found}.`,
  expectArgRange: (min: number, max: number, found: number): string =>
    `Expect ${min} to ${max} arguments but found ${found}.`,
  atLeastArgs: (n: number, found: number): string =>
    `At least has ${n} argument but found ${found}.`,
  expectType: (index: number, type: string): string =>
    `Expect ${type} type for parameter ${index + 1}`,
  aggregateNotAllowed: (name: string): string => `aggregate function ${name} is not allowed here`,
  kindNotAllowed: (kind: string, name: string): string =>
    `${kind} function ${name} is not allowed here`,
  overNotAllowed: (name: string): string => `Found OVER after non analytic function ${name}`,
  filterNotAllowed: (name: string): string =>
    `FILTER is only allowed after aggregate functions, not after ${name}`,
  windowNotAllowed: "window functions are only allowed in GROUP BY",
  wildcardNotAllowed: "* is only allowed in SELECT fields or as a function argument",
  timeUnitNotAllowed: (unit: string): string =>
    `time unit ${unit} is only allowed in window functions`,
  metaReference: "Expect meta reference type for parameter 1",
  mqttParameter: "Parameter of mqtt function can be only topic or messageid.",
} as const;
