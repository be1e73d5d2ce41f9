// Branded identifiers: a VenueOrderId cannot be passed where a ClientOrderId is wanted. Order ids
// are small integers allocated by the engine in sequence (compact, deterministic, journal-stable);
// the client order id sent to a venue is derived from the order id and its revision.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type OrderId = Brand<number, 'OrderId'>;
export type ListId = Brand<number, 'ListId'>;
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
export type VenueOrderId = Brand<string, 'VenueOrderId'>;
export type TradeId = Brand<string, 'TradeId'>;
export type VenueId = Brand<string, 'VenueId'>;

export const orderId = (n: number): OrderId => n as OrderId;
export const listId = (n: number): ListId => n as ListId;
export const clientOrderId = (s: string): ClientOrderId => s as ClientOrderId;
export const venueOrderId = (s: string): VenueOrderId => s as VenueOrderId;
export const tradeId = (s: string): TradeId => s as TradeId;
export const venueId = (s: string): VenueId => s as VenueId;
