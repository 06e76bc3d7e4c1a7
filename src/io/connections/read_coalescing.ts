/**
 * Read coalescing for floods. A broker writes each message to the socket as it comes, and a
 * reader as fast as Weir's gets only a few per read: tens of thousands of reads a second, each
 * a syscall and an event-loop turn, cost more than the messages themselves (S1: ~4.6
 * messages per read). When reads come back to back, the reader stops for a millisecond so
 * that the next read takes what accumulated; while what accumulates in a nap is a good
 * read's worth, it naps after every read (S1 over Deno's socket: ~160 messages per read,
 * against ~35 when it went back to counting fast reads after each nap), and the nap grows to
 * 4 ms while each gathers a lot (S1: Weir's CPU per message -11 % over 5 alternated runs). At
 * ordinary rates reads are far apart and nothing waits; a short burst costs one nap.
 *
 * @module
 */

/** Reads closer together than this are a flood. */
const FLOOD_GAP_MS = 0.25;
/** Flood reads in a row before the reader naps. */
const FLOOD_READS = 4;
/** How long it naps at first: the messages arriving meanwhile come in one read. */
const NAP_MS = 1;
/** While naps gather this much, the nap doubles, up to {@link MAX_NAP_MS}: a flood that goes
 * on is read in fewer, larger reads (S1: ~13 KB per read at 1 ms); under half of it, the nap
 * halves again, so a flood that slows down does not keep long naps. */
const NAP_GATHERS_A_LOT = 12 * 1024;
const MAX_NAP_MS = 4;
/** A read this big after a nap nearly filled the reader's 64 KiB: more may be waiting, so the
 * reader reads again at once and the nap halves (naps must not cap how fast Weir reads). */
const NEARLY_FULL = 48 * 1024;
/** A read after a nap at least this big: the flood goes on, and so do the naps. */
const FLOOD_GOES_ON = 2 * 1024;
/** A read this big is worth its cost already. */
const BIG_READ = 32 * 1024;

/** Decides, read by read, when the reader naps. */
export class ReadCoalescing {
  #last = -Infinity;
  #burst = 0;
  #flooding = false;
  /** Bytes read since the last nap ended (a flood's reads after a nap); 0 until the first. */
  #gathered = 0;
  #napMs = NAP_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly wake: () => void) {}

  /** How long the next nap lasts, ms. */
  get napMs(): number {
    return this.#napMs;
  }

  /** Records a read; true when the reader should nap now (`wake` is called after). */
  afterRead(bytes: number): boolean {
    const now = performance.now();
    const gap = now - this.#last;
    this.#last = now;
    // Reads the runtime had in hand when the nap began.
    if (this.#timer !== undefined) return false;
    if (this.#flooding) {
      // The reads after a nap: what accumulated tells whether the flood goes on, and whether
      // the next nap may be longer.
      if (bytes >= NEARLY_FULL) {
        this.#napMs = Math.max(this.#napMs / 2, NAP_MS);
        this.#gathered = 0;
        return false;
      }
      const first = this.#gathered === 0;
      const gathered = this.#gathered += bytes;
      if (gathered >= FLOOD_GOES_ON) {
        if (gathered >= NAP_GATHERS_A_LOT) this.#napMs = Math.min(this.#napMs * 2, MAX_NAP_MS);
        else if (gathered < NAP_GATHERS_A_LOT / 2) this.#napMs = Math.max(this.#napMs / 2, NAP_MS);
        return this.#nap();
      }
      // A thin first read after a nap is often only what the broker had written when the nap
      // ended (on a busy machine it is preempted mid-flood, and the rest lands a moment later:
      // S2 showed ~400 B, then ~20 KB 0.1 ms after). One more read decides.
      if (first) return false;
      this.#flooding = false;
      this.#napMs = NAP_MS;
      this.#burst = 0;
      return false;
    }
    if (bytes >= BIG_READ) {
      this.#burst = 0;
      return false;
    }
    this.#burst = gap < FLOOD_GAP_MS ? this.#burst + 1 : 0;
    if (this.#burst < FLOOD_READS) return false;
    this.#burst = 0;
    this.#flooding = true;
    return this.#nap();
  }

  #nap(): boolean {
    this.#gathered = 0;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, this.#napMs);
    return true;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flooding = false;
    this.#napMs = NAP_MS;
  }
}
