import { intendedHashAlgorithm } from './hashes';

describe('hash algorithm names', () => {
  it.each([['md5', 'MD5'], ['sha256', 'SHA-256'], ['SHA256', 'SHA-256'], ['sha-1', 'SHA-1'], ['sha3_512', 'SHA3-512'], ['ssdeep', 'SSDEEP']])('%s was meant as %s', (key, intended) => {
    expect(intendedHashAlgorithm(key)).toBe(intended);
  });

  it.each(['MD5', 'SHA-256', 'TLSH', 'x_acme_hash', 'imphash'])('%s needs no correction', (key) => {
    expect(intendedHashAlgorithm(key)).toBeUndefined();
  });
});
