// Ordo as a library: a paper venue, a bracket order, a trailing stop, and a synthetic market.
// Run it with `node --import tsx examples/quickstart.ts`.

import {
  AdvancedOrderManager,
  defineInstrument,
  formatPrice,
  formatQty,
  PaperVenue,
  Portfolio,
  RiskManager,
  syntheticMarket,
  unwrap,
} from '../src/index.ts';

const btc = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.01',
    qtyIncrement: '0.0001',
    feeMaker: '0.001',
    feeTaker: '0.001',
  }),
);
const venue = new PaperVenue({ venue: 'paper', instruments: [btc], balances: { USD: '100000', BTC: '0' } });
const oms = new AdvancedOrderManager(venue, {
  instruments: [btc],
  portfolio: new Portfolio(),
  risk: new RiskManager({ orderQtyMax: { default: '2' } }),
});

oms.on((e) => {
  if (e.type === 'order_filled')
    console.log(`fill: order ${e.id} ${formatQty(btc, e.quantity)} at ${formatPrice(btc, e.price)}`);
});

const market = unwrap(
  syntheticMarket({
    instrument: btc,
    startPrice: 4_500_000,
    seed: 1,
    tickIntervalMs: 1000,
    volatilityTicks: 1500,
    spreadTicks: 2,
    sizeLotsMax: 5000,
    steps: 3000,
  }),
);
let placed = false;
for (const md of market) {
  oms.feed(md);
  if (!placed && md.kind === 'trade') {
    placed = true;
    // Buy 0.1 BTC at 44,950 with a take-profit 1 % above and a stop-loss 0.5 % below.
    const bracket = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '0.1',
        entry: { type: 'limit', price: '44950' },
        takeProfit: { percent: '1' },
        stopLoss: { percent: '0.5' },
      }),
    );
    for (const o of bracket.orders)
      console.log(`${o.role}: ${o.type} ${o.side} ${o.quantity} ${o.price ?? o.triggerPrice} (${o.route})`);
    // A bad request is a typed error that names the field and the rule, and changes nothing.
    const bad = oms.placeOrder({
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      quantity: '0.1',
      price: '45000.001',
    });
    if (!bad.ok) console.log(`refused: ${bad.error.issues.map((i) => `${i.field} (${i.rule})`).join(', ')}`);
  }
}
for (const o of oms.getOrders()) console.log(`order ${o.id} ${o.role} ${o.status} filled ${o.filled}`);
console.log(`position: ${JSON.stringify(oms.portfolio.position(btc.key))}`);
