import type { LayoutData } from './layout';

export interface PushData extends LayoutData {
  push: {
    id: string;
    apiRoot: string;
    status: string;
    requested: { text: string; iso: string };
    expires: string;
    total: string;
    successCount: string;
    failureCount: string;
    pendingCount: string;
  };
  failures: StatusEntry[];
  successes: StatusEntry[];
}

/** One object's outcome in a status resource, as the push page lists it. */
export interface StatusEntry {
  id: string;
  version: string;
  message: string;
}

/** The table of a push's failures or successes (a partial: `labelledBy` names its heading). */
export const STATUS_ENTRIES = String.raw`<div class="table-wrap" role="region" aria-labelledby="<%= it.labelledBy %>" tabindex="0">
<table>
<thead><tr><th scope="col">Object</th><th scope="col">Version</th><th scope="col">Message</th></tr></thead>
<tbody>
<% it.entries.forEach(function (e) { %>
<tr><td class="id mono"><%= e.id %></td><td class="mono nowrap"><%= e.version %></td><td class="message"><%= e.message %></td></tr>
<% }) %>
</tbody>
</table>
</div>
`;

export const PUSH = String.raw`<% layout('@layout') %>
<nav aria-label="Breadcrumb" class="crumbs">
<ol>
<li><a href="<%= it.base %>/">Overview</a></li>
<li><a href="<%= it.base %>/pushes/">My pushes</a></li>
<li aria-current="page">Push of <%= it.push.requested.text %></li>
</ol>
</nav>
<h1>Push of <time datetime="<%= it.push.requested.iso %>"><%= it.push.requested.text %></time></h1>
<dl class="facts">
<dt>Status id</dt><dd class="mono"><%= it.push.id %></dd>
<dt>API root</dt><dd class="mono">/<%= it.push.apiRoot %>/</dd>
<dt>Status</dt><dd><%= it.push.status %></dd>
<dt>Objects</dt><dd><%= it.push.total %></dd>
<dt>Succeeded</dt><dd><%= it.push.successCount %></dd>
<dt>Failed</dt><dd><%= it.push.failureCount %></dd>
<dt>Pending</dt><dd><%= it.push.pendingCount %></dd>
<dt>Kept until</dt><dd class="mono"><%= it.push.expires %></dd>
</dl>
<section aria-labelledby="failures-h">
<h2 id="failures-h">Failures (<%= it.push.failureCount %>)</h2>
<% if (it.failures.length === 0) { %>
<p class="success">Every object of this push was accepted.</p>
<% } else { %>
<p class="muted small">Each message names the rule, the JSON path and the offending value. Fix the objects and push them again.</p>
<%~ include('@status-entries', { labelledBy: 'failures-h', entries: it.failures }) %>
<% } %>
</section>
<% if (it.successes.length > 0) { %>
<section aria-labelledby="successes-h">
<h2 id="successes-h">Successes (<%= it.push.successCount %>)</h2>
<details>
<summary>Show the <%= it.push.successCount %> accepted objects</summary>
<%~ include('@status-entries', { labelledBy: 'successes-h', entries: it.successes }) %>
</details>
</section>
<% } %>
`;
