import { randomUUID } from 'node:crypto';

/** Small, valid STIX 2.1 objects for tests; only what a test cares about is a parameter. */

export function indicator(fields: { id?: string; created?: string; modified?: string; name?: string } = {}): Record<string, unknown> {
  const created = fields.created ?? '2024-01-01T00:00:00.000Z';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: fields.id ?? `indicator--${randomUUID()}`,
    created,
    modified: fields.modified ?? created,
    name: fields.name ?? 'Test indicator',
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  };
}

export function malware(fields: { id?: string; modified?: string } = {}): Record<string, unknown> {
  return {
    type: 'malware',
    spec_version: '2.1',
    id: fields.id ?? `malware--${randomUUID()}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: fields.modified ?? '2024-01-01T00:00:00.000Z',
    name: 'Test malware',
    is_family: true,
  };
}

/** An SCO without created/modified: one fixed version per id. */
export function ipv4(value: string): Record<string, unknown> {
  return { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value };
}

export function envelope(...objects: unknown[]): { objects: unknown[] } {
  return { objects };
}
