import type { RequestHandler } from 'express';
import { TaxiiError } from '../errors';

/** 405 with the Allow header, for known TAXII paths used with another method. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (req) => {
    throw new TaxiiError(405, 'Method not allowed', `${req.method} is not supported here; use ${allow}.`, { headers: { Allow: allow } });
  };
}
