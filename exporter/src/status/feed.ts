import { html, join } from './safe-html';
import { incidentName } from './incidents';
import { iso, type StatusView } from './view';

/** Atom feed of open and recently resolved incidents: one entry per incident, its updates as content. */
export function renderAtomFeed(view: StatusView): string {
  const base = view.page.url;
  const updated = Math.max(view.model.at, ...view.history.map((i) => i.updates[0]?.at ?? i.startedAt));
  const entries = view.history.map((i) => {
    const last = i.updates[0]?.at ?? i.startedAt;
    const content = html`${i.updates.map((u) => html`<p><strong>${iso(u.at)}</strong> ${u.body}</p>`)}`;
    // Atom carries HTML content as text: the escaped markup is escaped once more, as a string.
    return html`<entry>
<id>urn:aperio:incident:${i.id}</id>
<title>${`${incidentName(i)}${i.resolvedAt === null ? '' : ' (resolved)'}`}</title>
<link rel="alternate" type="text/html" href="${`${base}#incident-${i.id}`}"/>
<published>${iso(i.startedAt)}</published>
<updated>${iso(last)}</updated>
<content type="html">${content.toString()}</content>
</entry>`;
  });
  return html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>urn:aperio:status:${view.page.id}${view.tenant ? `:tenant:${view.tenant.slug}` : ''}</id>
<title>${view.page.name} status${view.tenant ? ` (${view.tenant.name})` : ''}: incidents</title>
<link rel="alternate" type="text/html" href="${base}"/>
<link rel="self" type="application/atom+xml" href="${`${base.replace(/\/$/, '')}/feed.atom`}"/>
<updated>${iso(updated)}</updated>
<author><name>${view.page.name}</name></author>
${join(entries, '\n')}
</feed>
`.toString();
}
