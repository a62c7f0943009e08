import type { LayoutData } from './layout';

export interface CollectionCard {
  title: string;
  url: string;
  id: string;
  alias?: string;
  description?: string;
  objects: string;
  versions: string;
  /** Human form and machine form (for <time datetime>) of the last date_added. */
  lastAdded?: { text: string; iso: string };
  addedLast30: string;
  /** A JSON chart spec for the sparkline, and its text alternative. */
  spark: string;
  sparkLabel: string;
}

export interface OverviewData extends LayoutData {
  roots: Array<{ path: string; title: string; description?: string; collections: CollectionCard[] }>;
  /** Figures may lag by up to this many minutes (statistics are cached). */
  cacheMinutes: number;
}

export const OVERVIEW = String.raw`<% layout('@layout') %>
<h1>Overview</h1>
<% if (it.roots.length === 0) { %>
<p class="notice">There is no collection you may read yet. Ask the server's operator for access.</p>
<% } else { %>
<p class="muted">The collections you may read, by API root. Figures may be up to <%= it.cacheMinutes %> minutes old.</p>
<% } %>
<% it.roots.forEach(function (root) { %>
<section aria-labelledby="root-<%= root.path %>">
<h2 id="root-<%= root.path %>"><%= root.title %> <span class="muted mono small">/<%= root.path %>/</span></h2>
<% if (root.description) { %>
<p class="muted"><%= root.description %></p>
<% } %>
<ul class="cards">
<% root.collections.forEach(function (c) { %>
<li class="card">
<h3><a href="<%= c.url %>"><%= c.title %></a></h3>
<p class="muted small mono"><%= c.alias ? c.alias + ' · ' : '' %><%= c.id %></p>
<% if (c.description) { %>
<p class="small"><%= c.description %></p>
<% } %>
<dl class="stats">
<div><dt>Objects</dt><dd><%= c.objects %></dd></div>
<div><dt>Versions</dt><dd><%= c.versions %></dd></div>
<div><dt>Last added</dt><dd><% if (c.lastAdded) { %><time datetime="<%= c.lastAdded.iso %>"><%= c.lastAdded.text %></time><% } else { %>never<% } %></dd></div>
</dl>
<p class="small muted">Added in the last 30 days: <%= c.addedLast30 %></p>
<div class="spark"><canvas data-chart="<%= c.spark %>" role="img" aria-label="<%= c.sparkLabel %>"></canvas></div>
</li>
<% }) %>
</ul>
</section>
<% }) %>
`;
