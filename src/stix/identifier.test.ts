import { identifierProblem, identifierType, isValidIdentifier, parseIdentifier } from './identifier';

describe('STIX identifiers', () => {
  it('accepts a version 4 RFC 4122 UUID', () => {
    expect(identifierProblem('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBeUndefined();
    expect(parseIdentifier('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toMatchObject({ type: 'indicator', version: 4, rfc4122Variant: true });
  });

  it('refuses a UUID with the wrong variant bits', () => {
    expect(identifierProblem('indicator--d81f86b9-975b-4c0b-475e-8a3a7a0b1c9d')).toMatch(/variant/);
  });

  it('refuses a UUID version outside 1-5', () => {
    expect(identifierProblem('indicator--d81f86b9-975b-bc0b-875e-8a3a7a0b1c9d')).toMatch(/version 11/);
    expect(identifierProblem('indicator--d81f86b9-975b-0c0b-875e-8a3a7a0b1c9d')).toMatch(/version 0/);
  });

  it('refuses text that is not <type>--<uuid>', () => {
    expect(identifierProblem('indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toMatch(/form/);
    expect(identifierProblem('indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f')).toMatch(/form/);
    expect(identifierProblem('x--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toMatch(/type prefix/);
  });

  it('extracts the type prefix', () => {
    expect(identifierType('x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe('x-mitre-tactic');
  });
});

describe('isValidIdentifier agrees with identifierProblem', () => {
  const samples = [
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'indicator--8E2E2D2B-17D4-4CBF-B38F-98EE46B3CD3F', 'indicator--8e2e2d2b-17d4-6cbf-938f-98ee46b3cd3f',
    'indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3', 'ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', '1abc--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'a_b--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3g', 'indicator--8e2e2d2b_17d4-4cbf-938f-98ee46b3cd3f', '', '--', 'indicator',
    'indicator--8e2e2d2b-17d4-1cbf-a38f-98ee46b3cd3f', 'indicator--8e2e2d2b-17d4-5cbf-B38f-98ee46b3cd3f',
  ];
  it.each(samples)('%s', (text) => {
    expect(isValidIdentifier(text)).toBe(identifierProblem(text) === undefined);
  });
});
