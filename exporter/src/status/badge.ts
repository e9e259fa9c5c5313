import { escapeHtml } from './html';
import { STATUS_LABEL, type ComponentStatus, type Indicator } from './levels';

/** Shields-style flat badges, sized by a character-width estimate so no font metrics are needed. */
const COLORS: Record<ComponentStatus, string> = {
  operational: '#1f9d55',
  degraded_performance: '#d69e00',
  partial_outage: '#e8590c',
  major_outage: '#d6336c',
  under_maintenance: '#3b82f6',
};
const INDICATOR_COLORS: Record<Indicator, string> = { none: '#1f9d55', minor: '#d69e00', major: '#e8590c', critical: '#d6336c' };

const width = (text: string) => Math.round(text.length * 6.6 + 12);

function svg(label: string, message: string, color: string): string {
  const lw = width(label);
  const mw = width(message);
  const total = lw + mw;
  const l = escapeHtml(label);
  const m = escapeHtml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${l}: ${m}">
<title>${l}: ${m}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>
`;
}

export const indicatorBadge = (label: string, indicator: Indicator, description: string): string =>
  svg(label, description.toLowerCase(), INDICATOR_COLORS[indicator]);

export const componentBadge = (name: string, status: ComponentStatus): string =>
  svg(name, STATUS_LABEL[status].toLowerCase(), COLORS[status]);
