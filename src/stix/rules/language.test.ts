import { isLanguageTag } from './language';

describe('RFC 5646 language tags', () => {
  it.each(['en', 'de', 'en-US', 'zh-Hant-TW', 'es-419', 'sl-rozaj-biske', 'de-CH-1901', 'en-x-private', 'x-whatever', 'i-klingon', 'ast', 'zh-yue-HK', 'en-a-bbb-x-a-ccc'])('accepts %s', (tag) => {
    expect(isLanguageTag(tag)).toBe(true);
  });

  it.each(['', 'e', 'en_US', 'en-', '-en', 'en--US', 'toolonglanguage', 'en-US-', 'en US', '123'])('refuses %s', (tag) => {
    expect(isLanguageTag(tag)).toBe(false);
  });
});
