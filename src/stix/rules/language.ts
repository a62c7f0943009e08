/**
 * `language-tag` (MUST, STIX 2.1 sections 3.2, 7.1 and 7.2.3): `lang`, granular-marking `lang` and the
 * keys of language-content `contents` are RFC 5646 (BCP 47) language tags. Taxiway checks the tag's
 * shape (RFC 5646 section 2.1 ABNF), not the IANA registry, so new subtags are not refused.
 */
import { childPointer, showValue } from '../issues';
import { isRecord, type RuleContext } from './context';

const LANGTAG =
  '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})' + // language (with extlang)
  '(?:-[a-z]{4})?' + // script
  '(?:-(?:[a-z]{2}|\\d{3}))?' + // region
  '(?:-(?:[a-z\\d]{5,8}|\\d[a-z\\d]{3}))*' + // variants
  '(?:-[\\da-wy-z](?:-[a-z\\d]{2,8})+)*' + // extensions
  '(?:-x(?:-[a-z\\d]{1,8})+)?'; // private use
const PRIVATE_USE = 'x(?:-[a-z\\d]{1,8})+';
const GRANDFATHERED = 'en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn|zh-(?:guoyu|hakka|min|min-nan|xiang)';
const LANGUAGE_TAG = new RegExp(`^(?:${LANGTAG}|${PRIVATE_USE}|${GRANDFATHERED})$`, 'i');

export function isLanguageTag(text: string): boolean {
  return LANGUAGE_TAG.test(text);
}

function check(ctx: RuleContext, path: string, value: unknown): void {
  if (typeof value === 'string' && !isLanguageTag(value)) {
    ctx.issues.error('language-tag', path, `${path} must be an RFC 5646 language tag (${showValue(value)})`);
  }
}

export function checkLanguageTags(ctx: RuleContext): void {
  const { object } = ctx;
  check(ctx, '/lang', object.lang);
  if (Array.isArray(object.granular_markings)) {
    object.granular_markings.forEach((marking, i) => {
      if (isRecord(marking)) check(ctx, childPointer(childPointer('/granular_markings', i), 'lang'), marking.lang);
    });
  }
  if (ctx.type === 'language-content' && isRecord(object.contents)) {
    for (const key in object.contents) {
      if (!isLanguageTag(key)) {
        const path = childPointer('/contents', key);
        ctx.issues.error('language-tag', path, `${path}: the key must be an RFC 5646 language tag (${showValue(key)})`);
      }
    }
  }
}
