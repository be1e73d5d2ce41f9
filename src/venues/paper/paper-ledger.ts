// Spot cash and asset balances of the paper venue, in money units (10^-MONEY_SCALE) per currency.
// Each currency has a total and a locked part: the locked part is held by open orders (quote cash
// for buys, base asset for sells) so that two orders cannot spend the same money; available is
// total − locked. Currencies are kept in a Map in first-seen order so that listings are
// deterministic.
//
// Each currency is one LedgerAccount object for the ledger's lifetime, so a hot caller (the
// matcher keeps its instruments' base and quote accounts) can hold it and skip the lookup by name.
// Invariant messages are built only when an invariant fails.

import { InvariantError } from '../../core/assert.ts';
import { parseUnits } from '../../core/decimal.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';

export interface PaperBalance {
  readonly total: bigint;
  readonly locked: bigint;
  readonly available: bigint;
}

/** One currency's balance. */
export class LedgerAccount {
  total = 0n;
  locked = 0n;

  constructor(readonly currency: string) {}

  available(): bigint {
    return this.total - this.locked;
  }

  lock(amount: bigint): void {
    if (amount < 0n) throw new InvariantError(`negative lock ${amount}`);
    // locked + amount ≤ total ⇔ amount ≤ available: one bigint sum, kept, instead of two.
    const locked = this.locked + amount;
    if (locked > this.total) throw new InvariantError(`lock of ${amount} ${this.currency} exceeds available`);
    this.locked = locked;
  }

  unlock(amount: bigint): void {
    if (amount < 0n || amount > this.locked)
      throw new InvariantError(`unlock of ${amount} ${this.currency} exceeds locked`);
    this.locked -= amount;
  }

  /** Takes `amount` out of the total, `fromLocked` of it out of the locked part. */
  debit(amount: bigint, fromLocked: bigint): void {
    this.unlock(fromLocked);
    this.total -= amount;
  }

  credit(amount: bigint): void {
    this.total += amount;
  }
}

export class PaperLedger {
  private readonly accounts = new Map<string, LedgerAccount>();

  /** `initial` maps currency → decimal string, e.g. `{ USD: '10000', BTC: '0.5' }`. */
  constructor(initial: Readonly<Record<string, string>>) {
    for (const [currency, text] of Object.entries(initial)) {
      const units = parseUnits(text, MONEY_SCALE);
      if (units === undefined || units < 0n)
        throw new InvariantError(
          `balance ${currency}: ${JSON.stringify(text)} is not a non-negative decimal`,
        );
      this.account(currency).total = units;
    }
  }

  /** Makes sure `currency` is listed (at zero) even before anything moves it; returns its account. */
  open(currency: string): LedgerAccount {
    return this.account(currency);
  }

  /** Whether `currency` has an account. */
  has(currency: string): boolean {
    return this.accounts.has(currency);
  }

  /** Currencies with an account, in first-seen order. */
  currencies(): string[] {
    return [...this.accounts.keys()];
  }

  available(currency: string): bigint {
    return this.account(currency).available();
  }

  lock(currency: string, amount: bigint): void {
    this.account(currency).lock(amount);
  }

  unlock(currency: string, amount: bigint): void {
    this.account(currency).unlock(amount);
  }

  /** Takes `amount` out of the total, `fromLocked` of it out of the locked part. */
  debit(currency: string, amount: bigint, fromLocked: bigint): void {
    this.account(currency).debit(amount, fromLocked);
  }

  credit(currency: string, amount: bigint): void {
    this.account(currency).credit(amount);
  }

  get(currency: string): PaperBalance {
    const a = this.accounts.get(currency);
    if (a === undefined) return { total: 0n, locked: 0n, available: 0n };
    return { total: a.total, locked: a.locked, available: a.total - a.locked };
  }

  snapshot(): ReadonlyMap<string, PaperBalance> {
    const out = new Map<string, PaperBalance>();
    for (const currency of this.accounts.keys()) out.set(currency, this.get(currency));
    return out;
  }

  private account(currency: string): LedgerAccount {
    let a = this.accounts.get(currency);
    if (a === undefined) {
      a = new LedgerAccount(currency);
      this.accounts.set(currency, a);
    }
    return a;
  }
}
