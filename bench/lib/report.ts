/** Machine facts, number formatting and the text/Markdown tables of a benchmark report. */

export interface Machine {
  nproc: number;
  cpuModel: string;
  memTotalMiB: number;
  kernel: string;
}

export function machine(): Machine {
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  const meminfo = Deno.readTextFileSync("/proc/meminfo");
  let nproc = navigator.hardwareConcurrency;
  try {
    const out = new Deno.Command("nproc", { stdout: "piped" }).outputSync();
    nproc = Number(new TextDecoder().decode(out.stdout).trim()) || nproc;
  } catch { /* keep hardwareConcurrency */ }
  return {
    nproc,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    memTotalMiB: Math.round(Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0) / 1024),
    kernel: Deno.osRelease(),
  };
}

export function median(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Median of each numeric field over runs (nested objects too); other fields are the first
 * run's. */
export function medianOf<T>(xs: T[]): T {
  const first = xs[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(first)) {
    if (typeof v === "number") {
      out[k] = median(xs.map((x) => (x as Record<string, number>)[k]));
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      out[k] = medianOf(xs.map((x) => (x as never)[k]));
    } else out[k] = v;
  }
  return out as T;
}

/** 12345.6 → "12,346"; NaN/undefined → "–". */
export function int(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US");
}

export function fixed(x: number | undefined, digits = 1): string {
  return x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
}

export function mib(kb: number | undefined): string {
  return kb === undefined || !Number.isFinite(kb) ? "–" : `${(kb / 1024).toFixed(1)} MiB`;
}

/** A plain aligned text table: first column left-aligned, the others right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const sep = header.map((_, i) => i === 0 ? "---" : "---:");
  return [line(header), line(sep), ...rows.map(line)].join("\n");
}
