import { decodeCursor, encodeCursor } from './cursor';
import { TaxiiError } from './errors';

describe('next tokens', () => {
  test('round-trip a date_added position', () => {
    const d = '2024-05-06T07:08:09.123456Z';
    const token = encodeCursor(d);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toBe(d);
  });

  test.each(['', 'garbage', 'v1.', 'v1.!!!', 'v2.MjAyNA', `v1.${Buffer.from('2024-13-01T00:00:00.000000Z').toString('base64url')}`, `v1.${Buffer.from('2024-01-01T00:00:00Z').toString('base64url')}`])(
    'garbled token %p is a 400',
    (token) => {
      expect(() => decodeCursor(token)).toThrow(TaxiiError);
      try {
        decodeCursor(token);
      } catch (e) {
        expect((e as TaxiiError).status).toBe(400);
      }
    },
  );
});
