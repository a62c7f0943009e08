import type { LayoutData } from './layout';

export interface ValidateData extends LayoutData {
  action: string;
  csrf: string;
  maxBytes: number;
  maxText: string;
  targets: { policies: Array<{ value: string; label: string }>; collections: Array<{ value: string; label: string }> };
  selected: string;
  text: string;
  error?: string;
  result?: {
    summary: string;
    ok: boolean;
    note?: string;
    rows: Array<{ index: number; id: string; version: string; valid: boolean; message: string }>;
  };
}

export const VALIDATE = String.raw`<% layout('@layout') %>
<h1>Validate STIX</h1>
<p>Check STIX JSON the way a push would, with the same messages. Nothing is stored. Duplicates, conflicts with stored versions and ownership are only known at a real push.</p>
<form method="post" action="<%= it.action %>">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<div class="field">
<label for="target">Check as</label>
<select id="target" name="target">
<optgroup label="Validation policy">
<% it.targets.policies.forEach(function (t) { %>
<option value="<%= t.value %>"<% if (t.value === it.selected) { %> selected<% } %>><%= t.label %></option>
<% }) %>
</optgroup>
<% if (it.targets.collections.length > 0) { %>
<optgroup label="A push to one of your collections">
<% it.targets.collections.forEach(function (t) { %>
<option value="<%= t.value %>"<% if (t.value === it.selected) { %> selected<% } %>><%= t.label %></option>
<% }) %>
</optgroup>
<% } %>
</select>
</div>
<div class="field">
<label for="stix">STIX JSON</label>
<textarea id="stix" name="stix" rows="14" spellcheck="false" autocapitalize="none" aria-describedby="stix-hint"><%= it.text %></textarea>
<p id="stix-hint" class="hint">An envelope or bundle (an object with an "objects" list), or a single object; at most <%= it.maxText %>.</p>
</div>
<div class="field" data-upload hidden>
<label for="stix-file">Or load a file into the text box</label>
<input type="file" id="stix-file" accept=".json,application/json" data-fill="stix" data-max-bytes="<%= it.maxBytes %>" data-status="file-status">
<p id="file-status" role="status" class="hint"></p>
</div>
<button type="submit">Validate</button>
</form>
<% if (it.error) { %>
<section id="result" aria-labelledby="result-h">
<h2 id="result-h">Result</h2>
<p class="error" role="alert"><%= it.error %></p>
</section>
<% } %>
<% if (it.result) { %>
<section id="result" aria-labelledby="result-h">
<h2 id="result-h">Result</h2>
<p class="<%= it.result.ok ? 'success' : 'error' %>" role="status"><%= it.result.summary %></p>
<% if (it.result.note) { %>
<p class="muted small"><%= it.result.note %></p>
<% } %>
<div class="table-wrap" role="region" aria-label="Result per object" tabindex="0">
<table>
<thead><tr><th scope="col" class="num">#</th><th scope="col">Object</th><th scope="col">Version</th><th scope="col">Result</th><th scope="col">Message</th></tr></thead>
<tbody>
<% it.result.rows.forEach(function (r) { %>
<tr>
<td class="num"><%= r.index %></td>
<td class="id mono"><%= r.id %></td>
<td class="mono nowrap"><%= r.version %></td>
<td><span class="<%= r.valid ? 'good' : 'bad' %>"><%= r.valid ? 'valid' : 'invalid' %></span></td>
<td class="message"><%= r.message %></td>
</tr>
<% }) %>
</tbody>
</table>
</div>
</section>
<% } %>
`;
