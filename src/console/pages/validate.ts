/**
 * Validation without storing: pasted or uploaded STIX JSON goes through IngestService.preview, the
 * checks and messages of a push, under a chosen policy or as a push to one of the user's
 * collections. Rate-limited per user and address; at most 1 MiB of input.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { CollectionConfig } from '../../config/types';
import { EnvelopeError } from '../../services/errors';
import { envelopeObjects } from '../../services/ingest';
import { VALIDATION_POLICIES, type ValidationPolicy } from '../../stix/policy';
import { CSRF_FIELD, csrfTokenValid, sessionBinding } from '../csrf';
import type { ConsoleContext } from '../deps';
import { ConsoleError } from '../errors';
import { formatBytes, plural } from '../format';
import { writableCollections } from '../visibility';
import type { ValidateData } from '../views/validate';
import { base, layoutFor, sendPage, sessionOf } from './common';

export const MAX_INPUT_BYTES = 1024 * 1024;
/** The most objects one validation checks (the default max_objects_per_request of a push). */
const MAX_OBJECTS = 10_000;
/** A form posts the text percent-encoded: up to three bytes per byte, plus the other fields. */
const FORM_LIMIT_BYTES = 3 * MAX_INPUT_BYTES + 16 * 1024;
const DEFAULT_TARGET = 'policy:standard';

const POLICY_LABELS: Record<ValidationPolicy, string> = {
  strict: 'strict: custom content only when an extension definition declares it',
  standard: 'standard (default): custom content named as the spec says; SHOULDs are warnings',
  permissive: 'permissive: the spec’s MUST rules only',
};

/** A stand-in collection that differs from the defaults only by its policy. */
function policyCollection(policy: ValidationPolicy): CollectionConfig {
  const nobody = { users: [], groups: [] };
  return {
    id: '00000000-0000-4000-8000-000000000000',
    api_root: '',
    title: `policy ${policy}`,
    media_types: ['application/stix+json;version=2.1'],
    validation: policy,
    max_object_bytes: 15 * 1024 * 1024,
    ownership: true,
    maintainers: nobody,
    permissions: { read: nobody, write: nobody, anonymous_read: false },
  };
}

function field(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The objects of the input and a note on how it was read, or the message a push would give. */
function objectsOf(text: string): { objects: unknown[]; note?: string } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return `The input is not valid JSON: ${(err as Error).message.slice(0, 200)}`;
  }
  // A single object is checked as if it were the only one of an envelope (a push needs the envelope).
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && !('objects' in body) && typeof (body as { type?: unknown }).type === 'string' && (body as { type: string }).type !== 'bundle') {
    return { objects: [body], note: 'Checked as a single object. To push it, put it in an envelope or bundle: {"objects": [ … ]}.' };
  }
  try {
    return { objects: envelopeObjects(body) };
  } catch (err) {
    if (err instanceof EnvelopeError) return err.message;
    throw err;
  }
}

export function validateRoutes(router: Router, ctx: ConsoleContext): void {
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: 10 });

  function targets(req: Request): { list: ValidateData['targets']; resolve(value: string): CollectionConfig | undefined } {
    const writable = writableCollections(ctx.catalog, sessionOf(req).principal);
    const collections = new Map(writable.map(({ collection }) => [`collection:${collection.api_root}/${collection.id}`, collection]));
    return {
      list: {
        policies: VALIDATION_POLICIES.map((p) => ({ value: `policy:${p}`, label: POLICY_LABELS[p] })),
        collections: writable.map(({ root, collection }) => ({ value: `collection:${collection.api_root}/${collection.id}`, label: `${collection.title} (/${root.path}/, ${collection.validation})` })),
      },
      resolve(value) {
        const policy = VALIDATION_POLICIES.find((p) => `policy:${p}` === value);
        return policy ? policyCollection(policy) : collections.get(value);
      },
    };
  }

  function render(req: Request, res: Response, status: number, extra: Partial<Pick<ValidateData, 'selected' | 'text' | 'error' | 'result'>>): void {
    const b = base(req);
    sendPage(ctx, res, status, 'validate', {
      ...layoutFor(req, 'Validate STIX', { nav: 'validate' }),
      // The result comes back scrolled into view.
      action: `${b}/validate#result`,
      csrf: sessionOf(req).csrfToken,
      maxBytes: MAX_INPUT_BYTES,
      maxText: formatBytes(MAX_INPUT_BYTES),
      targets: targets(req).list,
      selected: extra.selected ?? DEFAULT_TARGET,
      text: extra.text ?? '',
      error: extra.error,
      result: extra.result,
    });
  }

  router.get('/validate', (req, res) => render(req, res, 200, {}));

  router.post(
    '/validate',
    async (req, _res, next) => {
      // Counted before the body is read, so a flood of large bodies is refused cheaply.
      const wait = await ctx.limiter.consume(sessionOf(req).principal.user, req.ip ?? 'unknown');
      if (wait !== undefined) {
        throw new ConsoleError(429, 'Too many validations', `You have validated a lot in the last minute. Try again in ${wait} seconds.`, { 'Retry-After': String(wait) });
      }
      next();
    },
    form,
    async (req, res) => {
      const session = sessionOf(req);
      if (!csrfTokenValid(field(req.body, CSRF_FIELD), ctx.keys, sessionBinding(session.claims.sid))) {
        throw new ConsoleError(403, 'Form expired', 'The form had expired or did not come from this site. Reload the page and try again.');
      }
      const selected = field(req.body, 'target');
      const text = field(req.body, 'stix');
      const collection = targets(req).resolve(selected);
      if (!collection) return render(req, res, 400, { text, error: 'Choose a policy or one of your collections to check against.' });
      if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
        return render(req, res, 413, { selected, error: `The input is larger than ${formatBytes(MAX_INPUT_BYTES)}; validate it in parts, or offline with \`taxiway validate\`.` });
      }
      if (text.trim() === '') return render(req, res, 400, { selected, error: 'Paste STIX JSON or load a file first.' });
      const read = objectsOf(text);
      if (typeof read === 'string') return render(req, res, 422, { selected, text, error: read });
      if (read.objects.length > MAX_OBJECTS) {
        return render(req, res, 413, { selected, text, error: `The input holds ${read.objects.length} objects; a push takes at most ${MAX_OBJECTS}. Split it.` });
      }
      const results = await ctx.ingest.preview(read.objects, collection);
      const invalid = results.filter((r) => r.kind === 'failed').length;
      render(req, res, 200, {
        selected,
        text,
        result: {
          ok: invalid === 0,
          summary: `${plural(results.length, 'object', 'objects')}: ${plural(results.length - invalid, 'valid', 'valid')}, ${plural(invalid, 'invalid', 'invalid')}.`,
          note: read.note,
          rows: results.map((r, i) => ({ index: i + 1, id: r.detail.id, version: r.detail.version, valid: r.kind !== 'failed', message: r.detail.message ?? '' })),
        },
      });
    },
  );
}
