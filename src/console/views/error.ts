import type { LayoutData } from './layout';

export interface ErrorData extends LayoutData {
  heading: string;
  message: string;
  requestId?: string;
}

export const ERROR = String.raw`<% layout('@layout') %>
<h1><%= it.heading %></h1>
<p><%= it.message %></p>
<p><a href="<%= it.base %>/">Go to the overview</a></p>
<% if (it.requestId) { %>
<p class="muted small">Request id: <span class="mono"><%= it.requestId %></span></p>
<% } %>
`;
