// The request faults the local fake venue servers share (src/venues/*/fake/): faults armed for the
// next N matching requests and used in arming order, answer delays for matching requests, and a
// count of stream events to send twice. Each fake's `FakeFaults` extends it with its own fault
// kinds, its own idea of which request matches, and its stream and queue hooks. Deterministic:
// nothing fires at random.

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

export class FakeRequestFaults<Fault, Match, Info> {
  private readonly armed: Armed<Fault, Match>[] = [];
  private readonly delays: Delay<Match>[] = [];
  private duplicates = 0;

  /**
   * `matches` says whether a request fits a match (an absent match fits every request); `drop` is
   * the venue's fault for "executed, then the connection destroyed unanswered".
   */
  constructor(
    private readonly matches: (m: Match, r: Info) => boolean,
    private readonly drop: Fault,
  ) {}

  /** Delays the answers of matching requests by `ms` (they are processed at once). */
  delayResponses(ms: number, options: { match?: Match; count?: number } = {}): this {
    this.delays.push({ ms, match: options.match, left: options.count });
    return this;
  }

  /** The next `count` matching requests are executed and their connection destroyed unanswered. */
  dropResponse(options: { match?: Match; count?: number } = {}): this {
    this.arm(this.drop, options.match, options.count);
    return this;
  }

  /** Each of the next `n` stream events is sent twice. */
  duplicateEvents(n: number): this {
    this.duplicates += n;
    return this;
  }

  /** Arms `fault` for the next `count` (default 1) requests that fit `match`. */
  protected arm(fault: Fault, match: Match | undefined, count = 1): void {
    this.armed.push({ fault, match, left: count });
  }

  /** Disarms the request faults, delays and duplicates. */
  protected clearRequestFaults(): void {
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
