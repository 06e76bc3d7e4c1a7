/** Promise timeout helper for connectors that must not block a rule start on a slow peer. */

/** Awaits `p`, but gives up with `fallback` after `ms` (the timer is always cleared). */
export function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<T>((resolve) => timer = setTimeout(() => resolve(fallback), ms));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
