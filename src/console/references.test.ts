import { collectReferences, externalLinks, safeHttpUrl } from './references';

const id = (type: string, n: number) => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('references', () => {
  it('collects *_ref and *_refs values, nested too, once each and in order', () => {
    const object = {
      type: 'report',
      created_by_ref: id('identity', 1),
      object_refs: [id('malware', 2), id('indicator', 3), id('malware', 2), 'not-an-id', 42],
      extensions: { 'x-ext': { sample_refs: [id('file', 4)], nested: [{ parent_ref: id('process', 5) }] } },
      unrelated: id('tool', 6),
      broken_ref: { not: 'a string' },
    };
    expect(collectReferences(object)).toEqual([id('identity', 1), id('malware', 2), id('indicator', 3), id('file', 4), id('process', 5)]);
  });

  it('makes links of http(s) URLs only', () => {
    expect(safeHttpUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeHttpUrl('http://example.org')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', 'vbscript:x', '//example.org', '/relative', 'ftp://example.org', ' javascript:alert(1)', 42]) {
      expect(safeHttpUrl(bad)).toBeUndefined();
    }
  });

  it('lists external references as text, linked only when the URL is http(s)', () => {
    const links = externalLinks({
      external_references: [
        { source_name: 'mitre-attack', external_id: 'T1566', url: 'https://attack.mitre.org/techniques/T1566/' },
        { source_name: 'evil', url: 'javascript:alert(1)' },
        { description: 'text only' },
        'junk',
      ],
    });
    expect(links).toEqual([{ text: 'mitre-attack T1566', href: 'https://attack.mitre.org/techniques/T1566/' }, { text: 'evil' }, { text: 'text only' }]);
  });
});
