/**
 * CPU time and memory of processes from Linux /proc: utime+stime (all threads) from
 * /proc/<pid>/stat, VmRSS and VmHWM from /proc/<pid>/status, sampled on a timer so that a
 * window's CPU time can be read at any moment after the fact.
 */

let ticksPerSecond: number | undefined;

/** USER_HZ (`getconf CLK_TCK`), the unit of utime/stime; 100 on every common Linux. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      const out = new Deno.Command("getconf", { args: ["CLK_TCK"], stdout: "piped" }).outputSync();
      ticksPerSecond = Number(new TextDecoder().decode(out.stdout).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name: [0] is field 3 (state). */
function statFields(pid: number): string[] {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ")".
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Minor page faults of the whole process so far (field 10, minflt): memory touched for the
 * first time since it was mapped, each a trip into the kernel. */
export function minorFaults(pid: number): number {
  return Number(statFields(pid)[7]);
}

export interface Syscalls {
  reads: number;
  writes: number;
}

/** Read and write system calls of the whole process so far (/proc/<pid>/io `syscr`, `syscw`):
 * `read`/`write` and their kin, socket ones included; `recv`/`send` calls are not counted. */
export function syscalls(pid: number): Syscalls {
  const io = Deno.readTextFileSync(`/proc/${pid}/io`);
  const field = (name: string) =>
    Number(io.match(new RegExp(`^${name}: (\\d+)$`, "m"))?.[1] ?? NaN);
  return { reads: field("syscr"), writes: field("syscw") };
}

/** utime + stime of the whole process (all threads), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/**
 * CPU seconds the whole machine spent busy (every state of the first /proc/stat line but idle
 * and iowait), summed over all cores. Against the CPU of the processes a benchmark owns, it
 * tells how much other work shared the machine during a measurement.
 */
export function machineBusySeconds(stat = Deno.readTextFileSync("/proc/stat")): number {
  const first = stat.slice(0, stat.indexOf("\n"));
  const v = first.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] || 0);
  return busy / clockTicks();
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, …), in kB. */
export function statusKb(pid: number, field: string): number {
  const text = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

export function commandLine(pid: number): string {
  return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").join(" ").trim();
}

/** Child pids of `pid` (from every thread's children file). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/children`).trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch { /* thread gone */ }
  }
  return out;
}

export interface CpuUsage {
  /** 100 = one core */
  percent: number;
  usPerMessage: number;
}

/**
 * The CPU that processes other than `pids` used from construction to `percent()` (100 = one
 * core): figures taken while it is high were measured on a shared machine.
 */
export class OtherCpu {
  private readonly busy0: number;
  private readonly ours0: number;
  private readonly wall0: number;

  constructor(readonly pids: number[]) {
    this.busy0 = machineBusySeconds();
    this.ours0 = this.ours();
    this.wall0 = performance.now();
  }

  private ours(): number {
    return this.pids.reduce((a, pid) => a + cpuSeconds(pid), 0);
  }

  percent(): number {
    const others = (machineBusySeconds() - this.busy0) - (this.ours() - this.ours0);
    return 100 * others / ((performance.now() - this.wall0) / 1000);
  }
}

interface Sample {
  /** performance.now() of the sample. */
  t: number;
  cpu: number[];
  rssKb: number[];
}

/** Samples CPU seconds and VmRSS of several processes every `intervalMs`. */
export class ProcSampler {
  private readonly samples: Sample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly pids: number[], readonly intervalMs = 50) {}

  start(): void {
    this.samples.length = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  sample(): Sample {
    const s: Sample = {
      t: performance.now(),
      cpu: this.pids.map((p) => cpuSeconds(p)),
      rssKb: this.pids.map((p) => statusKb(p, "VmRSS")),
    };
    this.samples.push(s);
    return s;
  }

  /** The last sample at or before `t` and the first at or after `t` (or the nearest). */
  private at(t: number, after: boolean): Sample {
    const s = this.samples;
    if (after) return s.find((x) => x.t >= t) ?? s[s.length - 1];
    let best = s[0];
    for (const x of s) if (x.t <= t) best = x;
    return best;
  }

  /**
   * CPU use of process `index` over [from, to]: the window is widened to the enclosing samples
   * (at most one interval on each side), and the CPU time is divided by that widened window.
   */
  cpu(index: number, from: number, to: number): { seconds: number; wallSeconds: number } {
    const a = this.at(from, false);
    const b = this.at(to, true);
    return { seconds: b.cpu[index] - a.cpu[index], wallSeconds: (b.t - a.t) / 1000 };
  }

  /** `cpu` as CPU % (100 = one core) and CPU µs per message, for `messages` messages. */
  usage(index: number, from: number, to: number, messages: number): CpuUsage {
    const c = this.cpu(index, from, to);
    return { percent: 100 * c.seconds / c.wallSeconds, usPerMessage: c.seconds * 1e6 / messages };
  }

  peakRssKb(index: number): number {
    let peak = 0;
    for (const s of this.samples) peak = Math.max(peak, s.rssKb[index]);
    return peak;
  }

  get count(): number {
    return this.samples.length;
  }
}
