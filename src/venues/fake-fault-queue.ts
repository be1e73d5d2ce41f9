// The fault queue the local fake venue servers share (src/venues/*/fake/): request faults armed for
// the next N matching requests and used in arming order, answer delays for matching requests, and a
// count of stream events to send twice. Each fake keeps its own fault kinds, its own idea of which
// request matches, and its own public hooks (`fake.faults`) on top of it. Deterministic: nothing
// fires at random.

interface Armed<Fault, Match> {
  readonly fault: Fault;
  readonly match: Match | undefined;
  left: number;
}

interface Delay<Match> {
  readonly ms: number;
  readonly match: Match | undefined;
  /** Undefined: until cleared. */
  left: number | undefined;
}

export class FaultQueue<Fault, Match, Info> {
  private readonly armed: Armed<Fault, Match>[] = [];
  private readonly delays: Delay<Match>[] = [];
  private duplicates = 0;

  /** `matches` says whether a request fits a match; an absent match fits every request. */
  constructor(private readonly matches: (m: Match, r: Info) => boolean) {}

  /** Arms `fault` for the next `count` (default 1) requests that fit `match`. */
  arm(fault: Fault, match: Match | undefined, count = 1): void {
    this.armed.push({ fault, match, left: count });
  }

  /** Delays the answers of requests that fit `match` by `ms`, `count` times or until cleared. */
  delay(ms: number, match: Match | undefined, count: number | undefined): void {
    this.delays.push({ ms, match, left: count });
  }

  /** Each of the next `n` stream events is to be sent twice. */
  duplicate(n: number): void {
    this.duplicates += n;
  }

  clear(): void {
    this.armed.length = 0;
    this.delays.length = 0;
    this.duplicates = 0;
  }

  /** Consumes the first armed fault that fits the request. */
  take(r: Info): Fault | undefined {
    const i = this.armed.findIndex((a) => this.fits(a.match, r));
    if (i < 0) return undefined;
    const a = this.armed[i]!;
    if (--a.left <= 0) this.armed.splice(i, 1);
    return a.fault;
  }

  /** Total delay for the request (consuming counted delays). */
  delayFor(r: Info): number {
    let ms = 0;
    for (let i = 0; i < this.delays.length; i++) {
      const d = this.delays[i]!;
      if (!this.fits(d.match, r)) continue;
      ms += d.ms;
      if (d.left !== undefined && --d.left <= 0) this.delays.splice(i--, 1);
    }
    return ms;
  }

  /** Whether the next event is to be sent twice (consumes one). */
  takeDuplicate(): boolean {
    if (this.duplicates <= 0) return false;
    this.duplicates--;
    return true;
  }

  private fits(m: Match | undefined, r: Info): boolean {
    return m === undefined || this.matches(m, r);
  }
}
