/**
 * The server's own absolute URL, for the links in discovery. TAXII calls `default` and `api_roots`
 * URLs and every example is absolute; some clients (cytaxii2) request them exactly as given, so
 * Taxiway sends absolute ones: from `server.public_base_url` when it is set, else from the request's
 * scheme and Host (Express honours X-Forwarded-Proto and X-Forwarded-Host only from senders that
 * `server.trust_proxy` trusts).
 *
 * A forged Host would otherwise plant links to another site in a response, so a Host that is not a
 * well-formed host name, or (with `server.allowed_hosts`) not one of the allowed ones, is refused.
 */
import type { Request } from 'express';
import type { ServerConfig } from '../config/types';

const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST_RE = new RegExp(`^(?:(?:${LABEL}\\.)*${LABEL}\\.?|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/** Whether a Host value is a host name, IPv4 address or bracketed IPv6 address, with an optional port. */
export function isWellFormedHost(host: string): boolean {
  if (host.length > 260) return false;
  const match = HOST_RE.exec(host);
  if (!match) return false;
  return match[1] === undefined || Number(match[1]) <= 65535;
}

function hostName(host: string): string {
  const bracket = host.startsWith('[') ? host.indexOf(']') : -1;
  if (bracket >= 0) return host.slice(0, bracket + 1).toLowerCase();
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a (well-formed) Host is allowed: every host when no list is configured; otherwise one
 * whose name matches an entry without a port, or that matches an entry with a port exactly.
 */
export function isAllowedHost(host: string, allowed: readonly string[] | undefined): boolean {
  if (allowed === undefined) return true;
  const name = hostName(host);
  const lower = host.toLowerCase();
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return hostName(e) === e ? hostName(e) === name : e === lower;
  });
}

/** The host a request was addressed to (Host, or X-Forwarded-Host from a trusted proxy). */
export function requestHost(req: Request): string | undefined {
  return req.host;
}

/** `https://host[:port][/prefix]` without a trailing slash: where this server's paths start. */
export function publicBaseUrl(req: Request, server: ServerConfig): string {
  if (server.public_base_url !== undefined) return server.public_base_url.replace(/\/+$/, '');
  return `${req.protocol}://${requestHost(req) ?? 'localhost'}`;
}
