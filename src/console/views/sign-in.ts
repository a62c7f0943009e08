import type { LayoutData } from './layout';

export interface SignInData extends LayoutData {
  action: string;
  csrf: string;
  next: string;
  userName: string;
  notice?: string;
  error?: string;
}

export const SIGN_IN = String.raw`<% layout('@layout') %>
<div class="narrow">
<h1>Sign in</h1>
<% if (it.notice) { %>
<p class="notice" role="status"><%= it.notice %></p>
<% } %>
<% if (it.error) { %>
<p class="error" role="alert"><%= it.error %></p>
<% } %>
<form method="post" action="<%= it.action %>">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="next" value="<%= it.next %>">
<div class="field">
<label for="user">User name</label>
<input id="user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="128" value="<%= it.userName %>">
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
</div>
<button type="submit">Sign in</button>
</form>
<p class="hint">Sign in with your Taxiway user name and password. API keys are not accepted here.</p>
</div>
`;
