/**
 * Read coalescing for floods. A broker writes each message to the socket as it comes, and a
 * reader as fast as Weir's gets only a few per read: tens of thousands of reads a second, each
 * a syscall and an event-loop turn, cost more than the messages themselves (S1: ~4.6
 * messages per read). When reads come back to back, the reader stops for a millisecond so
 * that the next read takes what accumulated; while what accumulates in a nap is a good
 * read's worth, it naps after every read (S1 over Deno's socket: ~160 messages per read,
 * against ~35 when it went back to counting fast reads after each nap). At ordinary rates
 * reads are far apart and nothing waits; a short burst costs one nap.
 *
 * @module
 */

/** Reads closer together than this are a flood. */
const FLOOD_GAP_MS = 0.25;
/** Flood reads in a row before the reader naps. */
const FLOOD_READS = 4;
/** How long it naps: the messages arriving meanwhile come in one read. */
const NAP_MS = 1;
/** A read after a nap at least this big: the flood goes on, and so do the naps. */
const FLOOD_GOES_ON = 2 * 1024;
/** A read this big is worth its cost already. */
const BIG_READ = 32 * 1024;

/** Decides, read by read, when the reader naps. */
export class ReadCoalescing {
  #last = -Infinity;
  #burst = 0;
  #flooding = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly wake: () => void) {}

  /** Records a read; true when the reader should nap now (`wake` is called after). */
  afterRead(bytes: number): boolean {
    const now = performance.now();
    const gap = now - this.#last;
    this.#last = now;
    // Reads the runtime had in hand when the nap began.
    if (this.#timer !== undefined) return false;
    if (bytes >= BIG_READ) {
      this.#burst = 0;
      return false;
    }
    if (this.#flooding) {
      // The first read after a nap: what accumulated tells whether the flood goes on.
      if (bytes >= FLOOD_GOES_ON) return this.#nap();
      this.#flooding = false;
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
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, NAP_MS);
    return true;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flooding = false;
  }
}
