/**
 * Failures of console requests as HTML pages: the console never answers with a TAXII error
 * resource, and nothing it does reaches the TAXII error handler. Stacks go to the log only.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from '../services/errors';
import { StoreUnavailableError } from '../store/store';
import type { ConsoleContext } from './deps';
import { ConsoleError, pageNotFound } from './errors';
import { layoutFor, sendPage } from './pages/common';

/** Body-parser style errors carry an HTTP status (413 for too large a form, 400 for a malformed one). */
function clientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function asConsoleError(err: unknown): ConsoleError | undefined {
  if (err instanceof ConsoleError) return err;
  if (err instanceof NotFoundError) return pageNotFound();
  if (err instanceof StoreUnavailableError) return new ConsoleError(503, 'Service unavailable', 'The database is unavailable; retry shortly.', { 'Retry-After': '5' });
  const status = clientStatus(err);
  if (status === 413) return new ConsoleError(413, 'Too large', 'The form was too large to be accepted.');
  if (status !== undefined) return new ConsoleError(status, 'Bad request', 'The request could not be understood.');
  return undefined;
}

export function consoleNotFound(): RequestHandler {
  return () => {
    throw pageNotFound();
  };
}

export function consoleErrorHandler(ctx: ConsoleContext): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let failure = asConsoleError(err);
    if (failure === undefined) {
      ctx.logger.error('unexpected error', { requestId: req.requestId, method: req.method, path: req.path, error: err instanceof Error ? err.stack : String(err) });
      failure = new ConsoleError(500, 'Something went wrong', 'Something went wrong on the server. Quote the request id below to its operator.');
    } else if (failure.status === 503) {
      ctx.logger.error('store unavailable', { requestId: req.requestId, error: (err as Error).message });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
    sendPage(ctx, res, failure.status, 'error', {
      ...layoutFor(req, failure.title),
      heading: failure.title,
      message: failure.message,
      requestId: failure.status >= 500 ? req.requestId : undefined,
    });
  };
}
