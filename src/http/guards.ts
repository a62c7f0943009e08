import type { RequestHandler } from 'express';
import type { ServerConfig } from '../config/types';
import { TaxiiError } from './errors';
import { acceptsTaxii, TAXII_MEDIA_TYPE } from './media-types';
import { isAllowedHost, isWellFormedHost, requestHost } from './public-url';

const MAX_URL_LENGTH = 8192;

/**
 * Refuses requests no TAXII resource can answer before any work is done: over-long URLs,
 * dot segments and encoded slashes or backslashes (which could otherwise be confused with path
 * separators), missing, malformed or unlisted hosts (the host ends up in discovery's links), and
 * Accept headers that rule out TAXII 2.1.
 */
export const requestGuards = (server: Pick<ServerConfig, 'allowed_hosts'>): RequestHandler => (req, _res, next) => {
  if (req.originalUrl.length > MAX_URL_LENGTH) {
    throw new TaxiiError(414, 'URI too long', `Request URLs are limited to ${MAX_URL_LENGTH} characters.`);
  }
  const rawPath = req.originalUrl.split('?')[0];
  if (/%2f|%5c|\\/i.test(rawPath) || rawPath.split('/').some((s) => s === '..' || s === '.' || /^(%2e|\.){1,2}$/i.test(s))) {
    throw new TaxiiError(404, 'Not found', 'Paths with dot segments or encoded slashes do not name any TAXII resource.');
  }
  if (!req.headers.host) {
    throw new TaxiiError(400, 'Bad request', 'HTTP/1.1 requests must carry a Host header.');
  }
  const host = requestHost(req) ?? '';
  // Probes of load balancers and scrapers address instances by their own address; the endpoints
  // outside the TAXII namespace (/_health/, /_metrics/) carry no links, so any well-formed Host will do.
  const operational = req.path.startsWith('/_');
  if (!isWellFormedHost(host) || (!operational && !isAllowedHost(host, server.allowed_hosts))) {
    throw new TaxiiError(400, 'Bad request', 'The Host header does not name this server.');
  }
  const badName = Object.keys(req.query).find((name) => /\[\]|\]\[/.test(name));
  if (badName !== undefined) {
    throw new TaxiiError(400, 'Bad request', `The query parameter name '${badName.slice(0, 64)}' is malformed: TAXII parameters take single values, not arrays.`, { details: { parameter: badName.slice(0, 64) } });
  }
  // Health probes send Accept: application/json and scrapers their exposition formats: the
  // operational endpoints serve them all.
  // The console (/_console/) serves browsers, which ask for HTML; it never answers with TAXII.
  const consolePage = req.path === '/_console' || req.path.startsWith('/_console/');
  if (!acceptsTaxii(req.headers.accept) && !consolePage && req.path !== '/_health/' && req.path !== '/_metrics/') {
    throw new TaxiiError(406, 'Not acceptable', `This server answers only with ${TAXII_MEDIA_TYPE}; include it (or application/taxii+json) in the Accept header.`);
  }
  next();
};
