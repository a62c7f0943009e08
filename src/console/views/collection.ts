import type { LayoutData } from './layout';

export interface ObjectRow {
  type: string;
  name?: string;
  id: string;
  url: string;
  version: string;
  dateAdded: string;
}

export interface CollectionData extends LayoutData {
  rootTitle: string;
  rootPath: string;
  collection: { title: string; id: string; alias?: string; description?: string; policy: string };
  stats: { objects: string; versions: string; first?: string; last?: string };
  byType: { chart: string; label: string; rows: Array<{ type: string; objects: string; versions: string }> };
  perDay: { chart: string; label: string; rows: Array<{ day: string; versions: string }> };
  filters: { type: string; id: string; addedAfter: string; version: string; types: string[] };
  /** The form's own address (the collection page, without a query). */
  action: string;
  filterError?: string;
  rows: ObjectRow[];
  /** Paging links: keyset, forward only (as TAXII's `next`). */
  firstUrl?: string;
  nextUrl?: string;
  pageSize: number;
}

export const COLLECTION = String.raw`<% layout('@layout') %>
<nav aria-label="Breadcrumb" class="crumbs">
<ol>
<li><a href="<%= it.base %>/">Overview</a></li>
<li><%= it.rootTitle %></li>
<li aria-current="page"><%= it.collection.title %></li>
</ol>
</nav>
<h1><%= it.collection.title %></h1>
<% if (it.collection.description) { %>
<p><%= it.collection.description %></p>
<% } %>
<dl class="facts">
<dt>Collection id</dt><dd class="mono"><%= it.collection.id %></dd>
<% if (it.collection.alias) { %>
<dt>Alias</dt><dd class="mono"><%= it.collection.alias %></dd>
<% } %>
<dt>API root</dt><dd class="mono">/<%= it.rootPath %>/</dd>
<dt>Validation policy</dt><dd><%= it.collection.policy %></dd>
<dt>Objects</dt><dd><%= it.stats.objects %> (<%= it.stats.versions %> versions)</dd>
<dt>First added</dt><dd><%= it.stats.first || 'never' %></dd>
<dt>Last added</dt><dd><%= it.stats.last || 'never' %></dd>
</dl>

<div class="charts">
<section class="panel" aria-labelledby="by-type-h">
<h2 id="by-type-h">Objects by type</h2>
<% if (it.byType.rows.length === 0) { %>
<p class="muted">No objects yet.</p>
<% } else { %>
<div class="chart"><canvas data-chart="<%= it.byType.chart %>" role="img" aria-label="<%= it.byType.label %>"></canvas></div>
<details>
<summary>Objects by type as a table</summary>
<div class="table-wrap" role="region" aria-label="Objects by type" tabindex="0">
<table>
<thead><tr><th scope="col">Type</th><th scope="col" class="num">Objects</th><th scope="col" class="num">Versions</th></tr></thead>
<tbody>
<% it.byType.rows.forEach(function (r) { %>
<tr><th scope="row" class="mono"><%= r.type %></th><td class="num"><%= r.objects %></td><td class="num"><%= r.versions %></td></tr>
<% }) %>
</tbody>
</table>
</div>
</details>
<% } %>
</section>
<section class="panel" aria-labelledby="per-day-h">
<h2 id="per-day-h">Versions added per day, last 30 days</h2>
<div class="chart"><canvas data-chart="<%= it.perDay.chart %>" role="img" aria-label="<%= it.perDay.label %>"></canvas></div>
<details>
<summary>Versions added per day as a table</summary>
<div class="table-wrap" role="region" aria-label="Versions added per day" tabindex="0">
<table>
<thead><tr><th scope="col">Day (UTC)</th><th scope="col" class="num">Versions added</th></tr></thead>
<tbody>
<% it.perDay.rows.forEach(function (r) { %>
<tr><th scope="row"><%= r.day %></th><td class="num"><%= r.versions %></td></tr>
<% }) %>
</tbody>
</table>
</div>
</details>
</section>
</div>

<section aria-labelledby="objects-h">
<h2 id="objects-h">Objects</h2>
<form method="get" action="<%= it.action %>" class="filters" role="search" aria-label="Filter objects">
<div class="field">
<label for="f-type">Type</label>
<input id="f-type" name="type" value="<%= it.filters.type %>" list="f-types" placeholder="indicator,malware" autocapitalize="none" spellcheck="false" aria-describedby="f-type-hint">
<datalist id="f-types">
<% it.filters.types.forEach(function (t) { %>
<option value="<%= t %>"></option>
<% }) %>
</datalist>
<span id="f-type-hint" class="visually-hidden">STIX types, separated by commas</span>
</div>
<div class="field">
<label for="f-id">Object id</label>
<input id="f-id" name="id" value="<%= it.filters.id %>" placeholder="indicator--…" autocapitalize="none" spellcheck="false">
</div>
<div class="field">
<label for="f-after">Added after</label>
<input id="f-after" name="added_after" value="<%= it.filters.addedAfter %>" placeholder="2024-01-31T00:00:00Z" autocapitalize="none" spellcheck="false" aria-describedby="f-after-hint">
<span id="f-after-hint" class="visually-hidden">A UTC timestamp such as 2024-01-31T00:00:00Z</span>
</div>
<div class="field">
<label for="f-version">Versions</label>
<select id="f-version" name="version">
<option value="last"<% if (it.filters.version === 'last') { %> selected<% } %>>Last version</option>
<option value="first"<% if (it.filters.version === 'first') { %> selected<% } %>>First version</option>
<option value="all"<% if (it.filters.version === 'all') { %> selected<% } %>>All versions</option>
</select>
</div>
<div class="actions">
<button type="submit">Apply</button>
<a href="<%= it.action %>">Clear</a>
</div>
</form>
<% if (it.filterError) { %>
<p class="error" role="alert"><%= it.filterError %></p>
<% } else if (it.rows.length === 0) { %>
<p class="notice">No objects match these filters.</p>
<% } else { %>
<div class="table-wrap" role="region" aria-labelledby="objects-h" tabindex="0">
<table>
<thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Version</th><th scope="col">Date added</th></tr></thead>
<tbody>
<% it.rows.forEach(function (r) { %>
<tr>
<td class="mono nowrap"><%= r.type %></td>
<td><%= r.name || '' %></td>
<td class="id mono"><a href="<%= r.url %>"><%= r.id %></a></td>
<td class="mono nowrap"><%= r.version %></td>
<td class="mono nowrap"><%= r.dateAdded %></td>
</tr>
<% }) %>
</tbody>
</table>
</div>
<% } %>
<nav class="pager" aria-label="Pages of objects">
<% if (it.firstUrl) { %><a href="<%= it.firstUrl %>">First page</a><% } %>
<% if (it.nextUrl) { %><a href="<%= it.nextUrl %>" rel="next">Next page</a><% } %>
<span class="muted small">Up to <%= it.pageSize %> objects per page, oldest first by date added.</span>
</nav>
</section>
`;
