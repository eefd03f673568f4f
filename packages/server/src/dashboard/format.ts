import { html } from 'hono/html';
import type { Html } from './layout.js';

/** `when` relative to `now` in words ("in 3 days", "5 minutes ago"), for scanning a table. */
export function relativeTime(when: number, now: number): string {
  const delta = when - now;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms) return format.format(Math.round(delta / ms), unit);
  }
  return format.format(Math.round(delta / 1000), 'second');
}

/** A time as a `<time>` element: relative text, the exact instant in its title and datetime. */
export function timeCell(iso: string | null | undefined, now: number): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${relativeTime(Date.parse(iso), now)}</time>`;
}

type Tone = 'ok' | 'warn' | 'bad' | 'info';

/** A status in words, coloured as a second cue only. */
export function badge(text: string, tone: Tone): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

export function connectionStatusBadge(status: string, reason: string | null | undefined): Html {
  return status === 'active'
    ? badge('active', 'ok')
    : badge(`needs reauth${reason ? ` (${reason.replaceAll('_', ' ')})` : ''}`, 'bad');
}

export function levelBadge(level: string): Html {
  const tone: Tone = level === 'error' ? 'bad' : level === 'warn' ? 'warn' : 'info';
  return badge(level, tone);
}

/** A query string of the filters that are set, for permalinks and paging links. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
