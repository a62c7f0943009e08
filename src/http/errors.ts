/** An HTTP failure carrying what the TAXII error resource needs. Thrown anywhere; rendered once. */
export class TaxiiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly description?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(status: number, title: string, description?: string, options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {}) {
    super(description ?? title);
    this.name = 'TaxiiError';
    this.status = status;
    this.title = title;
    this.description = description;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }
}

export const badRequest = (description: string, details?: Record<string, unknown>): TaxiiError =>
  new TaxiiError(400, 'Bad request', description, { details });

export const notFound = (description = 'The requested resource does not exist or you cannot see it.'): TaxiiError =>
  new TaxiiError(404, 'Not found', description);

export const forbidden = (description: string): TaxiiError => new TaxiiError(403, 'Forbidden', description);

/** The realm of every challenge Taxiway sends. */
export const REALM = 'taxiway';

/** Both schemes Taxiway accepts are offered: Basic (passwords, or an API key as the password) and Bearer (API keys). */
export const unauthorized = (description = 'Authentication is required: send HTTP Basic credentials or an API key (Authorization: Bearer KEY).'): TaxiiError =>
  new TaxiiError(401, 'Unauthorized', description, { headers: { 'WWW-Authenticate': `Basic realm="${REALM}", charset="UTF-8", Bearer realm="${REALM}"` } });

export const unprocessable = (description: string): TaxiiError => new TaxiiError(422, 'Unprocessable content', description);
