/**
 * Response headers of every console response. The Content-Security-Policy allows scripts, styles
 * and images from the console's own origin only, so no inline script or style runs even if a
 * template ever failed to escape a value; nothing may frame the console. The Referrer-Policy is
 * `same-origin`: with `no-referrer` browsers send `Origin: null` on form posts, which the CSRF
 * check (rightly) refuses.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'none'"],
        fontSrc: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    // Browsers ignore HSTS over plain HTTP; over HTTPS the console's host stays on HTTPS. Subdomains
    // belong to the operator, not to Taxiway.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}
