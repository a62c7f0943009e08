import type { LayoutData } from './layout';

export interface PushSummary {
  url: string;
  requested: { text: string; iso: string };
  apiRoot: string;
  total: string;
  successes: string;
  failures: number;
  failuresText: string;
  /** The first failure messages; the push's own page has every one. */
  firstFailures: Array<{ id: string; message: string }>;
}

export interface PushesData extends LayoutData {
  pushes: PushSummary[];
  retentionHours: number;
  olderUrl?: string;
  newestUrl?: string;
}

export const PUSHES = String.raw`<% layout('@layout') %>
<h1>My pushes</h1>
<p class="muted">The status of every push you made, newest first, while the server keeps it (<%= it.retentionHours %> hours).</p>
<% if (it.pushes.length === 0) { %>
<p class="notice">No pushes of yours are kept right now.</p>
<% } %>
<ol class="pushes">
<% it.pushes.forEach(function (p) { %>
<li class="card">
<h2><a href="<%= p.url %>">Push of <time datetime="<%= p.requested.iso %>"><%= p.requested.text %></time></a></h2>
<p class="small">To <span class="mono">/<%= p.apiRoot %>/</span> · <%= p.total %> objects · <%= p.successes %> succeeded · <span class="<%= p.failures > 0 ? 'bad' : 'good' %>"><%= p.failuresText %></span></p>
<% if (p.firstFailures.length > 0) { %>
<ul class="messages small">
<% p.firstFailures.forEach(function (f) { %>
<li><span class="mono"><%= f.id %></span>: <%= f.message %></li>
<% }) %>
</ul>
<% if (p.failures > p.firstFailures.length) { %>
<p class="small"><a href="<%= p.url %>">All <%= p.failuresText %></a></p>
<% } %>
<% } %>
</li>
<% }) %>
</ol>
<nav class="pager" aria-label="Pages of pushes">
<% if (it.newestUrl) { %><a href="<%= it.newestUrl %>">Newest pushes</a><% } %>
<% if (it.olderUrl) { %><a href="<%= it.olderUrl %>" rel="next">Older pushes</a><% } %>
</nav>
`;
