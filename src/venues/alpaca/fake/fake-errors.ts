// Alpaca error answers as the fake sends them: a JSON body `{code, message}` (8-digit code; a few
// carry extra fields such as `buying_power` or `available`, and the bare 403 of a request without
// credentials is `{"message": "forbidden."}`), with the HTTP status Alpaca uses (venues.md 1.9).
// Handlers throw an AlpacaError; the HTTP layer writes it. Messages never contain a secret.

export class AlpacaError extends Error {
  constructor(
    readonly status: number,
    /** Undefined for the bare `{"message": ...}` bodies. */
    readonly code: number | undefined,
    readonly text: string,
    /** Extra body fields (all strings, as Alpaca sends them). */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${code ?? '-'} ${text}`);
    this.name = 'AlpacaError';
  }

  /** The response body; keys in name order, as Alpaca's (Go map) bodies come. */
  body(): Record<string, unknown> {
    const all: Record<string, unknown> = { ...this.extra, message: this.text };
    if (this.code !== undefined) all.code = this.code;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(all).sort()) out[k] = all[k];
    return out;
  }
}

const invalid = (message: string) => new AlpacaError(422, 40010001, message);
const unprocessable = (message: string) => new AlpacaError(422, 42210000, message);
const forbiddenTrade = (message: string, extra?: Record<string, string>) =>
  new AlpacaError(403, 40310000, message, extra);

export const errors = {
  /** No (or incomplete) credential headers. */
  forbidden: () => new AlpacaError(403, undefined, 'forbidden.'),
  /** Unknown key id, or a secret that does not match it. */
  unauthorized: () => new AlpacaError(401, 40110000, 'request is not authorized'),
  badBody: () => new AlpacaError(400, 40010000, 'request body format is invalid'),
  /** 422 with code 40010001: a field missing, malformed or not allowed. */
  invalid,
  /** 422 with code 42210000: well-formed but unprocessable. */
  unprocessable,
  subPenny: (field: string, text: string) =>
    unprocessable(`invalid ${field} ${text}. sub-penny increment does not fulfill minimum pricing criteria`),
  cryptoTif: () => unprocessable('invalid crypto time_in_force'),
  cryptoType: () => invalid('invalid order type for crypto order'),
  duplicateClientId: () => invalid('client_order_id must be unique'),
  insufficientBuyingPower: (buyingPower: string, costBasis: string) =>
    forbiddenTrade('insufficient buying power', { buying_power: buyingPower, cost_basis: costBasis }),
  insufficientBalance: (asset: string, requested: string, available: string) =>
    forbiddenTrade(`insufficient balance for ${asset} (requested: ${requested}, available: ${available})`, {
      available,
      balance: available,
      symbol: asset,
    }),
  insufficientQty: (symbol: string, requested: string, available: string, existing: string, held: string) =>
    forbiddenTrade(
      `insufficient qty available for order (requested: ${requested}, available: ${available})`,
      {
        available,
        existing_qty: existing,
        held_for_orders: held,
        symbol,
      },
    ),
  notChanged: () => forbiddenTrade('order parameters are not changed'),
  orderNotFound: () => new AlpacaError(404, 40410000, 'order is not found.'),
  assetNotFound: (symbol: string) => new AlpacaError(404, 40410000, `asset not found for ${symbol}`),
  positionNotFound: () => new AlpacaError(404, 40410000, 'position does not exist'),
  routeNotFound: () => new AlpacaError(404, 40410000, 'endpoint not found'),
  methodNotAllowed: () => new AlpacaError(405, 40510000, 'method not allowed'),
  /** Cancel or replace of an order that has ended. */
  orderEnded: (status: string) => unprocessable(`order is already in "${status}" state`),
  rateLimited: () => new AlpacaError(429, 42910000, 'rate limit exceeded'),
} as const;

/** Bodies of the 5xx a fault answers with; 502–504 are the HTML pages of Alpaca's nginx front. */
export function serverErrorBody(status: number): { contentType: string; text: string } {
  if (status === 500)
    return {
      contentType: 'application/json; charset=UTF-8',
      text: JSON.stringify({ code: 50010000, message: 'internal server error occurred' }),
    };
  const reason =
    status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Gateway Time-out';
  return {
    contentType: 'text/html',
    text: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}
