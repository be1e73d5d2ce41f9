// Chart colours from the page's CSS variables, so the canvas follows the light or dark theme the
// rest of the dashboard uses.

import { ColorType, type DeepPartial, type LayoutOptions } from 'lightweight-charts';

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

export function chartTheme(): {
  layout: DeepPartial<LayoutOptions>;
  grid: string;
  text: string;
  pos: string;
  neg: string;
  accent: string;
} {
  const text = cssVar('--muted', '#97a2b8');
  const grid = cssVar('--line', '#2a3142');
  return {
    layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: text },
    grid,
    text,
    pos: cssVar('--pos', '#2fbf71'),
    neg: cssVar('--neg', '#ff6b68'),
    accent: cssVar('--accent', '#4f8cff'),
  };
}
