// Ordo's public library surface. Import from 'ordo' (this file) rather than from deep paths.

export { type FieldIssue, type OrdoError, OrdoFailure, type Result, unwrap } from './core/errors.ts';
export { limits } from './core/limits.ts';
export { type Clock, ManualClock, type Random, SeededRandom } from './core/ports.ts';
export { loadBinanceCapture, readBinanceCapture } from './data/binance-capture.ts';
export { csvPresets, loadCsv, readCsv } from './data/csv-replay.ts';
export { syntheticMarket } from './data/synthetic.ts';
export {
  AdvancedOrderManager,
  type BracketSpec,
  type EntrySpec,
  type OcoSpec,
  type OtoSpec,
  type TrailingStopSpec,
} from './engine/advanced-order-manager.ts';
export { type EngineOptions, OrderEngine } from './engine/engine.ts';
export type { OrdoEvent } from './engine/events.ts';
export type { Journal, SyncJournal, VerifyReport } from './engine/journal-port.ts';
export type { OrderSpec, TrailingSpec } from './engine/order-spec.ts';
export type { ListView, OrderView } from './engine/order-view.ts';
export type { ScaleSpec } from './engine/scale-ladder.ts';
export {
  STRATEGY_BAR_MS_DEFAULT,
  type Strategy,
  type StrategyContext,
  type StrategyFill,
  type StrategyModule,
  StrategyRunner,
  type StrategyRunnerOptions,
} from './engine/strategy.ts';
export { fillsCsv, roundTripsCsv, TradeLog, tradeLogJson } from './engine/trade-log.ts';
export type { Capabilities, SyncVenue, VenueCommand, VenueReport } from './engine/venue-port.ts';
export { PostgresJournal } from './journal/postgres-journal.ts';
export { SqliteJournal } from './journal/sqlite-journal.ts';
export {
  defineInstrument,
  FEE_PRESETS,
  formatMoney,
  formatPrice,
  formatQty,
  type Instrument,
  type InstrumentInput,
} from './model/instrument.ts';
export type { Bar, MarketData, QuoteTick, TradeTick } from './model/market.ts';
export type { OrderType, Side, TimeInForce } from './model/order.ts';
export { ORDER_STATUSES, type OrderStatus, seedStatus } from './model/status.ts';
export { Portfolio } from './portfolio/index.ts';
export { type Denial, type RiskLimits, RiskManager } from './risk/index.ts';
export {
  ALL_NATIVE,
  NONE_NATIVE,
  type PaperNative,
  PaperVenue,
  type PaperVenueOptions,
  type VenueCheckpointPart,
} from './venues/paper/paper-venue.ts';
