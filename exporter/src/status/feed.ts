import { escapeHtml } from './html';
import { incidentName } from './incidents';
import { iso, type StatusView } from './view';

/** Atom feed of open and recently resolved incidents: one entry per incident, its updates as content. */
export function renderAtomFeed(view: StatusView): string {
  const base = view.page.url;
  const updated = Math.max(view.model.at, ...view.history.map((i) => i.updates[0]?.at ?? i.startedAt));
  const entries = view.history
    .map((i) => {
      const last = i.updates[0]?.at ?? i.startedAt;
      const content = i.updates.map((u) => `<p><strong>${escapeHtml(iso(u.at))}</strong> ${escapeHtml(u.body)}</p>`).join('');
      return `<entry>
<id>urn:aperio:incident:${i.id}</id>
<title>${escapeHtml(`${incidentName(i)}${i.resolvedAt === null ? '' : ' (resolved)'}`)}</title>
<link rel="alternate" type="text/html" href="${escapeHtml(`${base}#incident-${i.id}`)}"/>
<published>${iso(i.startedAt)}</published>
<updated>${iso(last)}</updated>
<content type="html">${escapeHtml(content)}</content>
</entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>urn:aperio:status:${escapeHtml(view.page.id)}${view.tenant ? `:tenant:${escapeHtml(view.tenant.slug)}` : ''}</id>
<title>${escapeHtml(view.page.name)} status${view.tenant ? ` (${escapeHtml(view.tenant.name)})` : ''}: incidents</title>
<link rel="alternate" type="text/html" href="${escapeHtml(base)}"/>
<link rel="self" type="application/atom+xml" href="${escapeHtml(`${base.replace(/\/$/, '')}/feed.atom`)}"/>
<updated>${iso(updated)}</updated>
<author><name>${escapeHtml(view.page.name)}</name></author>
${entries}
</feed>
`;
}
