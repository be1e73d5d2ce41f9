// Rule rate_limit_exceeded: at most ordersPerSecondMax accepted orders in any sliding 1000 ms
// window. Only orders the engine records as accepted count, so denied orders and what-if questions
// never use up the budget.

import type { RateLimitExceeded } from '../denial.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { RateLimiter } from '../rate-limiter.ts';

export function checkRateLimit(
  intent: OrderIntent,
  limiter: RateLimiter | undefined,
  nowMs: number,
): RateLimitExceeded | undefined {
  if (limiter === undefined || !limiter.isFull(nowMs)) return undefined;
  return denial(intent, limiter, nowMs);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, limiter: RateLimiter, nowMs: number): RateLimitExceeded {
  const inWindow = limiter.countInWindow(nowMs);
  return {
    code: 'rate_limit_exceeded',
    message: `${inWindow} orders were accepted in the last ${limiter.windowMs} ms; the maximum is ${limiter.capacity}`,
    instrument: intent.instrument.key,
    ordersInWindow: String(inWindow),
    ordersPerSecondMax: String(limiter.capacity),
    windowMs: String(limiter.windowMs),
  };
}
