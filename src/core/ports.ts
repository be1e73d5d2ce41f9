// The engine's hidden inputs made explicit. The engine never reads the clock or a random source;
// time arrives as a timestamp on every input and randomness, where a simulation needs it, comes
// from a seeded Random passed in. Timestamps are integer milliseconds since the Unix epoch.

export type TimestampMs = number;

export interface Clock {
  nowMs(): TimestampMs;
}

export interface Random {
  /** A uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** A uniform integer in [0, n). */
  nextInt(n: number): number;
}

/** A deterministic Clock for tests and replays: it only moves when told. */
export class ManualClock implements Clock {
  constructor(private t: TimestampMs = 0) {}
  nowMs(): TimestampMs {
    return this.t;
  }
  set(t: TimestampMs): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * SplitMix32-seeded xoshiro128** generator: small, fast, and identical on every platform, so a
 * seed replays the same history everywhere.
 */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  nextInt(n: number): number {
    // Multiply-shift keeps the result uniform enough for simulation and exact in doubles for n < 2^21.
    if (n <= 0x200000) return Math.floor((this.nextU32() * n) / 0x100000000);
    const hi = this.nextU32() >>> 11;
    const lo = this.nextU32();
    return Number((BigInt(hi) * 0x100000000n + BigInt(lo)) % BigInt(n));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
