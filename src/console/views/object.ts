import type { LayoutData } from './layout';

export interface ObjectData extends LayoutData {
  collectionTitle: string;
  collectionUrl: string;
  object: { id: string; type: string; name?: string; version: string; specVersion: string; dateAdded: string; mediaType: string };
  /** The stored text, exactly (for Copy), and a pretty-printed form of it (for reading). */
  storedJson: string;
  prettyJson: string;
  downloadUrl: string;
  versions: Array<{ version: string; specVersion: string; dateAdded: string; url?: string; current: boolean }>;
  /** Versions beyond those listed (the list is one page). */
  moreVersionsUrl?: string;
  references: Array<{ id: string; url?: string }>;
  /** References beyond the ones looked up. */
  referencesNotChecked: number;
  externalLinks: Array<{ text: string; href?: string }>;
}

export const OBJECT = String.raw`<% layout('@layout') %>
<nav aria-label="Breadcrumb" class="crumbs">
<ol>
<li><a href="<%= it.base %>/">Overview</a></li>
<li><a href="<%= it.collectionUrl %>"><%= it.collectionTitle %></a></li>
<li aria-current="page" class="mono"><%= it.object.id %></li>
</ol>
</nav>
<h1><%= it.object.name || it.object.id %></h1>
<dl class="facts">
<dt>Type</dt><dd class="mono"><%= it.object.type %></dd>
<dt>Id</dt><dd class="mono"><%= it.object.id %></dd>
<dt>Version</dt><dd class="mono"><%= it.object.version %></dd>
<dt>Spec version</dt><dd><%= it.object.specVersion %></dd>
<dt>Date added</dt><dd class="mono"><%= it.object.dateAdded %></dd>
<dt>Media type</dt><dd class="mono"><%= it.object.mediaType %></dd>
</dl>
<div class="actions">
<button type="button" data-copy="<%= it.storedJson %>" data-status="copy-status" hidden>Copy JSON</button>
<a class="button secondary" href="<%= it.downloadUrl %>" download>Download JSON</a>
<span id="copy-status" role="status" class="small"></span>
</div>
<section aria-labelledby="json-h">
<h2 id="json-h">Stored JSON</h2>
<p class="muted small">Indented for reading; Copy and Download give the stored text exactly.</p>
<pre class="json" tabindex="0" aria-labelledby="json-h"><code><%= it.prettyJson %></code></pre>
</section>
<section aria-labelledby="versions-h">
<h2 id="versions-h">Versions</h2>
<div class="table-wrap" role="region" aria-labelledby="versions-h" tabindex="0">
<table>
<thead><tr><th scope="col">Version</th><th scope="col">Spec version</th><th scope="col">Date added</th><th scope="col"><span class="visually-hidden">Shown</span></th></tr></thead>
<tbody>
<% it.versions.forEach(function (v) { %>
<tr>
<td class="mono nowrap"><%= v.version %></td>
<td><%= v.specVersion %></td>
<td class="mono nowrap"><%= v.dateAdded %></td>
<td><% if (v.current) { %><strong>shown</strong><% } else if (v.url) { %><a href="<%= v.url %>">show<span class="visually-hidden"> version <%= v.version %></span></a><% } %></td>
</tr>
<% }) %>
</tbody>
</table>
</div>
<% if (it.moreVersionsUrl) { %>
<p><a href="<%= it.moreVersionsUrl %>">More versions</a></p>
<% } %>
</section>
<section aria-labelledby="refs-h">
<h2 id="refs-h">References</h2>
<% if (it.references.length === 0) { %>
<p class="muted">This object references no other object.</p>
<% } else { %>
<ul class="refs">
<% it.references.forEach(function (r) { %>
<li class="mono"><% if (r.url) { %><a href="<%= r.url %>"><%= r.id %></a><% } else { %><%= r.id %> <span class="muted">(not in this collection)</span><% } %></li>
<% }) %>
</ul>
<% if (it.referencesNotChecked > 0) { %>
<p class="muted small"><%= it.referencesNotChecked %> more references were not looked up.</p>
<% } %>
<% } %>
</section>
<% if (it.externalLinks.length > 0) { %>
<section aria-labelledby="ext-h">
<h2 id="ext-h">External references</h2>
<ul class="refs">
<% it.externalLinks.forEach(function (l) { %>
<li><% if (l.href) { %><a href="<%= l.href %>" rel="noopener noreferrer nofollow"><%= l.text %></a><% } else { %><%= l.text %><% } %></li>
<% }) %>
</ul>
</section>
<% } %>
`;
