import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type winston from 'winston';
import type { Metrics } from '../metrics/metrics';
import { AuthenticationFailed, LoginThrottled } from '../auth/failures';
import { EnvelopeError, ForbiddenError, NotFoundError } from '../services/errors';
import { StoreUnavailableError } from '../store/store';
import { TaxiiError, forbidden, notFound, unauthorized, unprocessable } from './errors';
import { sendTaxii } from './render';

/** The TAXII error resource for an error; the request id doubles as `error_id` for support. */
function errorResource(err: TaxiiError, req: Request): Record<string, unknown> {
  const body: Record<string, unknown> = { title: err.title };
  if (err.description !== undefined) body.description = err.description;
  body.error_id = req.requestId;
  body.http_status = String(err.status);
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/** Express and body-parser style errors that carry an HTTP status. */
function httpStatusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null) {
    const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return undefined;
}

/** What the services and auth report, as HTTP; undefined for anything else. */
function domainError(err: unknown): TaxiiError | undefined {
  if (err instanceof NotFoundError) return notFound(err.message);
  if (err instanceof ForbiddenError) return forbidden(err.message);
  if (err instanceof EnvelopeError) return unprocessable(err.message);
  if (err instanceof AuthenticationFailed) return unauthorized('The credentials are not valid.');
  if (err instanceof LoginThrottled) {
    const why = err.reason === 'busy' ? 'Too many sign-ins are waiting to be checked' : 'Too many failed sign-ins from this client';
    return new TaxiiError(429, 'Too many requests', `${why}; retry in ${err.retryAfterSeconds} seconds.`, {
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
    });
  }
  return undefined;
}

/** Turns every failure into a TAXII error resource; stacks go to the log only. */
export function errorHandler(logger: winston.Logger, metrics?: Metrics): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof AuthenticationFailed) metrics?.authFailed();
    if (err instanceof LoginThrottled) metrics?.loginThrottled();
    let taxii: TaxiiError;
    const mapped = domainError(err);
    if (err instanceof TaxiiError) taxii = err;
    else if (mapped !== undefined) taxii = mapped;
    else if (err instanceof StoreUnavailableError) {
      logger.error('store unavailable', { requestId: req.requestId, error: err.message });
      taxii = new TaxiiError(503, 'Service unavailable', 'The database is unavailable; retry shortly.', { headers: { 'Retry-After': '5' } });
    } else if (httpStatusOf(err) !== undefined) {
      const status = httpStatusOf(err) as number;
      taxii = new TaxiiError(status, status === 400 ? 'Bad request' : 'Request error', (err as Error).message);
    } else {
      logger.error('unexpected error', { requestId: req.requestId, method: req.method, path: req.path, error: err instanceof Error ? err.stack : String(err) });
      taxii = new TaxiiError(500, 'Internal server error', `Something went wrong on the server. Quote request id ${req.requestId} to its operator.`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendTaxii(res, taxii.status, errorResource(taxii, req), taxii.headers);
  };
}

/** Anything no route matched. */
export const notFoundHandler: RequestHandler = (req) => {
  throw new TaxiiError(404, 'Not found', `There is no TAXII resource at ${req.path.slice(0, 200)}.`);
};
