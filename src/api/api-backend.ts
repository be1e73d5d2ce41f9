// What the API needs from the running service, so the API layer never imports the composition
// root: the order manager (engine, portfolio, trade log), the risk what-if port it was built with,
// the journal (for stream resume), the wall clock, the venues with their connection state, and
// the market data as it arrives. src/app/service.ts implements it.

import type { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import type { SyncJournal } from '../engine/journal-port.ts';
import type { Capabilities } from '../engine/venue-port.ts';
import type { Instrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import type { WhatIfRisk } from './what-if-risk.ts';

export interface VenueStatus {
  readonly id: string;
  /** Whether orders reach the venue now. */
  readonly connected: boolean;
  readonly capabilities: Capabilities;
  readonly instruments: readonly Instrument[];
  /** The market feed prices come from, and whether it is delivering. */
  readonly feed: { readonly name: string; readonly connected: boolean };
}

export interface ApiBackend {
  readonly oms: AdvancedOrderManager;
  readonly risk: WhatIfRisk;
  readonly journal: SyncJournal | undefined;
  /** The journal seq of the last durable event (0 without a journal). */
  journalSeq(): number;
  readonly instruments: readonly Instrument[];
  /** The wall clock, epoch ms: commands are stamped with it (never earlier than the engine's time). */
  now(): number;
  venues(): readonly VenueStatus[];
  /** Calls `listener` with every market data item after the engine has seen it. */
  onMarket(listener: (md: MarketData) => void): () => void;
  readonly version: string;
}
