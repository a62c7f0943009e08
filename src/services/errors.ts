/**
 * What the services report when an operation cannot be done, in their own terms. The HTTP layer
 * maps each to a status code in one place (`src/http/error-handler.ts`); services know nothing of HTTP.
 */

/** The thing asked for does not exist, or the caller may not know that it does. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The caller may see the thing but not do this to it. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** The request body is not an envelope Taxiway can take objects from. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}
