/** Command-line values of the benchmarks. */

/** `v` as an integer in 1..max; throws `--name must be …` otherwise. */
export function positiveInt(name: string, v: string | undefined, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`--${name} must be an integer in 1..${max}, got ${v}`);
  }
  return n;
}
