/** The frame of every page: skip link, banner with navigation and sign-out, main landmark, footer. */
export interface LayoutData {
  /** The page's own title (the document title adds the console's name). */
  title: string;
  /** The console's base path, e.g. `/_console`. */
  base: string;
  assets: { css: string; js: string; icon: string; chart?: string };
  /** Present once signed in. */
  session?: { user: string; csrf: string };
  /** Which navigation entry is this page. */
  nav?: 'overview' | 'pushes' | 'validate';
}

export const LAYOUT = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title><%= it.title %> · Taxiway console</title>
<link rel="icon" href="<%= it.assets.icon %>" type="image/svg+xml">
<link rel="stylesheet" href="<%= it.assets.css %>">
<% if (it.assets.chart) { %>
<script src="<%= it.assets.chart %>" defer></script>
<% } %>
<script src="<%= it.assets.js %>" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="<%= it.base %>/">Taxiway console</a>
<% if (it.session) { %>
<nav aria-label="Console">
<ul>
<li><a href="<%= it.base %>/"<% if (it.nav === 'overview') { %> aria-current="page"<% } %>>Overview</a></li>
<li><a href="<%= it.base %>/pushes/"<% if (it.nav === 'pushes') { %> aria-current="page"<% } %>>My pushes</a></li>
<li><a href="<%= it.base %>/validate"<% if (it.nav === 'validate') { %> aria-current="page"<% } %>>Validate</a></li>
</ul>
</nav>
<form class="sign-out" method="post" action="<%= it.base %>/sign-out">
<input type="hidden" name="_csrf" value="<%= it.session.csrf %>">
<span class="small">Signed in as <strong><%= it.session.user %></strong></span>
<button type="submit" class="secondary">Sign out</button>
</form>
<% } %>
</div>
</header>
<main id="main" tabindex="-1">
<%~ it.body %>
</main>
<footer class="site-footer">
<p>Taxiway: a STIX/TAXII 2.1 server. This console is read-only; TAXII clients use the API.</p>
</footer>
</body>
</html>
`;
