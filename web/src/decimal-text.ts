// Display helpers for the decimal strings the API sends. The dashboard never does arithmetic on
// money in binary floats: sums and differences it shows are computed exactly with bigint, and a
// number is made from a decimal only to place it on a chart, where it is a pixel position.

/** Sign of a decimal string: -1, 0 or 1. */
export function signOf(text: string | undefined): -1 | 0 | 1 {
  if (text === undefined || text === '') return 0;
  if (text.startsWith('-')) return /[1-9]/.test(text) ? -1 : 0;
  return /[1-9]/.test(text) ? 1 : 0;
}

/** A CSS class for a P&L figure. */
export function pnlClass(text: string | undefined): string {
  const s = signOf(text);
  return s > 0 ? 'pos' : s < 0 ? 'neg' : '';
}

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

function parse(text: string): Scaled | undefined {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2] || '0'}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { units, scale: frac.length };
}

function rescale(v: Scaled, scale: number): bigint {
  return v.units * 10n ** BigInt(scale - v.scale);
}

function format(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** Exact sum of decimal strings (undefined inputs count as zero). */
export function addDecimals(values: readonly (string | undefined)[]): string {
  const parsed = values.flatMap((v) => {
    const p = v === undefined ? undefined : parse(v);
    return p === undefined ? [] : [p];
  });
  const scale = parsed.reduce((s, p) => Math.max(s, p.scale), 0);
  return format(
    parsed.reduce((sum, p) => sum + rescale(p, scale), 0n),
    scale,
  );
}

/** Exact a − b. */
export function subDecimals(a: string, b: string): string | undefined {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) return undefined;
  const scale = Math.max(pa.scale, pb.scale);
  return format(rescale(pa, scale) - rescale(pb, scale), scale);
}

/** Compares two decimal strings exactly. */
export function compareDecimals(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) return 0;
  const scale = Math.max(pa.scale, pb.scale);
  const d = rescale(pa, scale) - rescale(pb, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A decimal string for reading: trailing zeros past `keep` places trimmed, thousands grouped. */
export function readable(text: string | undefined, keep = 2): string {
  if (text === undefined || text === '') return '—';
  const p = parse(text);
  if (p === undefined) return text;
  const [whole = '0', frac = ''] = text.replace(/^-/, '').split('.');
  let f = frac.replace(/0+$/, '');
  if (f.length < keep) f = frac.slice(0, keep).padEnd(Math.min(keep, frac.length), '0');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const neg = p.units < 0n ? '-' : '';
  return `${neg}${grouped}${f === '' ? '' : `.${f}`}`;
}

/** A chart coordinate: the only place a decimal becomes a float. */
export function toPlot(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A duration in ms as `1h 02m 03s` / `4.2s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}h ${mm}m ${ss}s` : `${m}m ${ss}s`;
}

/** A time of day from epoch ms, in the browser's zone. */
export function clock(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
