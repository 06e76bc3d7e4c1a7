/**
 * Error classes with eKuiper's numeric codes. The REST layer maps them to HTTP status codes
 * and to eKuiper's envelope `{"error": code, "message": "..."}` in one place (`api/errors.ts`).
 *
 * @module
 */

/** eKuiper error codes (`pkg/errorx`). */
export const ErrorCode = {
  undefined: 1000,
  general: 1001,
  notFound: 1002,
  io: 1003,
  encode: 1004,
  eof: 1005,
  sqlParse: 2001,
  sqlPlan: 2101,
  sqlExec: 2201,
  stream: 3000,
  rule: 4000,
  confKey: 5000,
} as const;

export class WeirError extends Error {
  constructor(message: string, readonly code: number = ErrorCode.general) {
    super(message);
    this.name = "WeirError";
  }
}

/** An id that does not exist: HTTP 404, code 1002. */
export class NotFoundError extends WeirError {
  constructor(message: string) {
    super(message, ErrorCode.notFound);
    this.name = "NotFoundError";
  }
}

/** A request that cannot be honoured as given: HTTP 400. */
export class BadRequestError extends WeirError {
  constructor(message: string, code: number = ErrorCode.general) {
    super(message, code);
    this.name = "BadRequestError";
  }
}

/** A rule whose SQL or actions cannot be planned: HTTP 400, code 2101 unless said otherwise. */
export class PlanError extends WeirError {
  constructor(message: string, code: number = ErrorCode.sqlPlan) {
    super(message, code);
    this.name = "PlanError";
  }
}

/** A configuration problem (etc/ files, confKeys): code 5000. */
export class ConfigError extends WeirError {
  constructor(message: string) {
    super(message, ErrorCode.confKey);
    this.name = "ConfigError";
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
