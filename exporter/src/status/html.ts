import { incidentImpact, incidentName, type Incident } from './incidents';
import { STATUS_LABEL } from './levels';
import type { StatusComponent, StatusGroup } from './model';
import type { UptimeDay } from './uptime';
import { STATUS_CSS } from './html-style';
import { iso, type StatusView } from './view';

/** The status page: server-rendered, no scripts, one inline stylesheet; <details> folds groups. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const percent = (value: number | null) => (value === null ? 'no data' : `${(Math.floor(value * 10_000) / 100).toFixed(2)} %`);
const when = (ms: number) => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;

function dayTitle(d: UptimeDay): string {
  if (d.uptime === null) return d.status ? `${d.date}: ${STATUS_LABEL[d.status]} now` : `${d.date}: no data`;
  return `${d.date}: ${percent(d.uptime)} uptime (${d.runs} runs, ${d.failures} failed)`;
}

function bar(view: StatusView, c: StatusComponent): string {
  const uptime = view.uptime.get(c.id);
  const days = uptime?.days ?? [];
  const cells = days
    .map((d) => `<span class="${d.status ? `d-${d.status}` : 'd-none'}" title="${escapeHtml(dayTitle(d))}"></span>`)
    .join('');
  const label = `${c.name}: 90-day uptime ${percent(uptime?.overall ?? null)}, ${days.filter((d) => d.status !== null && d.status !== 'operational').length} days with problems`;
  return `<div class="bar" role="img" aria-label="${escapeHtml(label)}">${cells}</div>
<div class="legend" aria-hidden="true"><span>90 days ago</span><span>${uptime?.overall == null ? 'no run history' : `${escapeHtml(percent(uptime.overall))} uptime`}</span><span>Today</span></div>`;
}

function componentHtml(view: StatusView, c: StatusComponent): string {
  const reasons = c.reasons.length ? `<p class="reasons">${escapeHtml(c.reasons.join('; '))}</p>` : '';
  return `<li class="component" id="component-${escapeHtml(c.id)}" data-status="${c.status}">
<div class="row"><h3>${escapeHtml(c.name)}</h3><span class="st st-${c.status}">${STATUS_LABEL[c.status]}</span></div>${reasons}
${bar(view, c)}</li>`;
}

function groupHtml(view: StatusView, g: StatusGroup): string {
  // Collapsed while everything in it is fine: the page leads with what needs attention.
  const open = g.status === 'operational' ? '' : ' open';
  return `<details class="group card" id="group-${escapeHtml(g.id)}" data-status="${g.status}"${open}>
<summary><span class="gname">${escapeHtml(g.name)}</span><span class="st st-${g.status}">${STATUS_LABEL[g.status]}</span></summary>
<ul class="components">${g.components.map((c) => componentHtml(view, c)).join('\n')}</ul></details>`;
}

function incidentHtml(i: Incident): string {
  const state = i.resolvedAt === null ? `since ${when(i.startedAt)}` : `${when(i.startedAt)} to ${when(i.resolvedAt)}`;
  const updates = i.updates.map((u) => `<li><time datetime="${iso(u.at)}">${when(u.at)}</time>: ${escapeHtml(u.body)}</li>`).join('');
  return `<article class="incident card impact-${incidentImpact(i)}" id="incident-${i.id}">
<h3>${escapeHtml(incidentName(i))}</h3><p class="reasons">${i.resolvedAt === null ? 'Ongoing' : 'Resolved'}, ${state}</p><ol reversed>${updates}</ol></article>`;
}

function maintenanceHtml(view: StatusView): string {
  if (!view.maintenances.length) return '';
  const items = view.maintenances
    .map(
      ({ window: w, active }) => `<article class="incident card impact-maintenance" id="maintenance-${escapeHtml(w.id)}">
<h3>${escapeHtml(w.name)}</h3><p class="reasons">${active ? 'In progress' : 'Scheduled'}: ${when(w.startsAt)} to ${when(w.endsAt)}</p>${w.body ? `<p>${escapeHtml(w.body)}</p>` : ''}</article>`,
    )
    .join('\n');
  return `<section aria-labelledby="maintenance-h"><h2 id="maintenance-h">Scheduled maintenance</h2>${items}</section>`;
}

/** A tenant token's view says whose it is, so a page passed around is not mistaken for the platform's. */
function audienceHtml(view: StatusView): string {
  if (!view.tenant) return '';
  const { name, slug } = view.tenant;
  return `<p class="audience" data-tenant="${escapeHtml(slug)}">View of tenant <strong>${escapeHtml(name)}</strong> (${escapeHtml(slug)}): its own connections, destinations, rules and queue, shown only with its API tokens.</p>\n`;
}

export function renderStatusHtml(view: StatusView): string {
  const { model, page } = view;
  const title = view.tenant ? `${page.name} status: ${view.tenant.name}` : `${page.name} status`;
  const indicatorClass = model.indicator === 'none' && model.description.includes('Maintenance') ? 'maint' : model.indicator;
  const resolved = view.history.filter((i) => i.resolvedAt !== null);
  const open = view.incidents.length ? view.incidents.map(incidentHtml).join('\n') : '<p class="empty card">No open incidents.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title>
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(page.name)} incidents" href="/status/feed.atom">
<style>${STATUS_CSS}</style></head>
<body><a class="skip" href="#main">Skip to content</a><div class="wrap">
<header><h1>${escapeHtml(page.name)} status</h1>
${audienceHtml(view)}<p class="indicator ind-${indicatorClass}" role="status" data-indicator="${model.indicator}">${escapeHtml(model.description)}</p></header>
<main id="main">
<section aria-labelledby="incidents-h"><h2 id="incidents-h">Open incidents</h2>${open}</section>
${maintenanceHtml(view)}
<section aria-labelledby="components-h"><h2 id="components-h">Components</h2>
${model.groups.map((g) => groupHtml(view, g)).join('\n')}</section>
<section aria-labelledby="history-h"><h2 id="history-h">Recently resolved</h2>${
    resolved.length ? resolved.map(incidentHtml).join('\n') : '<p class="empty card">No incidents resolved in the last 7 days.</p>'
  }</section>
</main>
<footer>Updated <time datetime="${iso(model.at)}">${when(model.at)}</time> ·
<a href="/status.json">JSON (Statuspage v2)</a> · <a href="/status/feed.atom">Atom feed</a> · <a href="/status/badge.svg">Badge</a></footer>
</div></body></html>
`;
}
