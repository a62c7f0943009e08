import { buildConfig } from '../config/load';
import { silentLogger } from '../logging';
import { consoleSessionKeys, consoleStartupProblems, keyRing } from './keys';

const config = (console: Record<string, unknown>) => buildConfig({ api_roots: [{ path: 'r', title: 'R' }], collections: [], console, store: { type: 'sqlite', sqlite: { path: ':memory:' } } });

describe('console key material', () => {
  it('refuses random keys with several workers only', () => {
    expect(consoleStartupProblems(config({ enabled: true }), 4)).toHaveLength(1);
    expect(consoleStartupProblems(config({ enabled: true }), 1)).toEqual([]);
    expect(consoleStartupProblems(config({ enabled: true, session_keys: ['k'.repeat(32)] }), 4)).toEqual([]);
    expect(consoleStartupProblems(config({ enabled: false }), 4)).toEqual([]);
  });

  it('uses the configured keys when there are some, else the process secret', () => {
    const material = consoleSessionKeys(config({ enabled: true }), silentLogger());
    const random = keyRing(config({ enabled: true }).console, material);
    expect(keyRing(config({ enabled: true }).console, material)[0].session.equals(random[0].session)).toBe(true);
    const configured = keyRing(config({ enabled: true, session_keys: ['k'.repeat(32), 'j'.repeat(32)] }).console, material);
    expect(configured).toHaveLength(2);
    expect(configured[0].session.equals(random[0].session)).toBe(false);
  });
});
