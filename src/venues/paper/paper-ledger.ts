// Spot cash and asset balances of the paper venue, in money units (10^-MONEY_SCALE) per currency.
// Each currency has a total and a locked part: the locked part is held by open orders (quote cash
// for buys, base asset for sells) so that two orders cannot spend the same money; available is
// total − locked. Currencies are kept in a Map in first-seen order so that listings are
// deterministic.

import { assert } from '../../core/assert.ts';
import { parseUnits } from '../../core/decimal.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';

export interface PaperBalance {
  readonly total: bigint;
  readonly locked: bigint;
  readonly available: bigint;
}

interface Account {
  total: bigint;
  locked: bigint;
}

export class PaperLedger {
  private readonly accounts = new Map<string, Account>();

  /** `initial` maps currency → decimal string, e.g. `{ USD: '10000', BTC: '0.5' }`. */
  constructor(initial: Readonly<Record<string, string>>) {
    for (const [currency, text] of Object.entries(initial)) {
      const units = parseUnits(text, MONEY_SCALE);
      assert(
        units !== undefined && units >= 0n,
        `balance ${currency}: ${JSON.stringify(text)} is not a non-negative decimal`,
      );
      this.account(currency).total = units;
    }
  }

  /** Makes sure `currency` is listed (at zero) even before anything moves it. */
  open(currency: string): void {
    this.account(currency);
  }

  available(currency: string): bigint {
    const a = this.account(currency);
    return a.total - a.locked;
  }

  lock(currency: string, amount: bigint): void {
    assert(amount >= 0n, `negative lock ${amount}`);
    const a = this.account(currency);
    assert(a.total - a.locked >= amount, `lock of ${amount} ${currency} exceeds available`);
    a.locked += amount;
  }

  unlock(currency: string, amount: bigint): void {
    const a = this.account(currency);
    assert(amount >= 0n && amount <= a.locked, `unlock of ${amount} ${currency} exceeds locked`);
    a.locked -= amount;
  }

  /** Takes `amount` out of the total, `fromLocked` of it out of the locked part. */
  debit(currency: string, amount: bigint, fromLocked: bigint): void {
    this.unlock(currency, fromLocked);
    this.account(currency).total -= amount;
  }

  credit(currency: string, amount: bigint): void {
    this.account(currency).total += amount;
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

  private account(currency: string): Account {
    let a = this.accounts.get(currency);
    if (a === undefined) {
      a = { total: 0n, locked: 0n };
      this.accounts.set(currency, a);
    }
    return a;
  }
}
