/**
 * Tokenizer for STIX 2.1 patterning (STIX 2.1 section 9). It produces the tokens of the grammar:
 * punctuation, comparison operators, words (keywords, object types, property names) and the constant
 * forms: 'string' (escapes \' and \\ only), integers, floats, h'hex', b'base64' and t'timestamp'.
 */
import { parseTimestamp } from '../timestamp';

export type TokenKind =
  | 'lbracket' | 'rbracket' | 'lparen' | 'rparen' | 'colon' | 'dot' | 'comma' | 'star'
  | 'operator' | 'word' | 'string' | 'int' | 'float' | 'hex' | 'binary' | 'timestamp' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: the unescaped value). */
  text: string;
  offset: number;
}

export class PatternSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '[': 'lbracket', ']': 'rbracket', '(': 'lparen', ')': 'rparen', ':': 'colon', '.': 'dot', ',': 'comma', '*': 'star',
};
const OPERATORS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>'];
const WORD = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[+-]?(?:\d*\.\d+|\d+)/y;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads a quoted body starting after the opening quote; returns the unescaped text and the end offset. */
function readQuoted(source: string, start: number, allowEscapes: boolean): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\' && allowEscapes) {
      const next = source[i + 1];
      if (next !== "'" && next !== '\\') throw new PatternSyntaxError(`invalid escape "\\${next ?? ''}" in a string (only \\' and \\\\ are allowed)`, i);
      value += next;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new PatternSyntaxError('unterminated quoted constant', start - 1);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const punct = PUNCTUATION[c];
    // A dot followed by a digit starts a float such as .5, not a path separator.
    if (punct !== undefined && !(c === '.' && /\d/.test(source[i + 1] ?? ''))) {
      tokens.push({ kind: punct, text: c, offset: i });
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    if (operator) {
      tokens.push({ kind: 'operator', text: operator === '==' ? '=' : operator === '<>' ? '!=' : operator, offset: i });
      i += operator.length;
      continue;
    }
    if (c === "'") {
      const { value, end } = readQuoted(source, i + 1, true);
      tokens.push({ kind: 'string', text: value, offset: i });
      i = end;
      continue;
    }
    if ((c === 'h' || c === 'b' || c === 't') && source[i + 1] === "'") {
      const { value, end } = readQuoted(source, i + 2, false);
      if (c === 'h' && !HEX.test(value)) throw new PatternSyntaxError(`h'${value}' is not an even number of hex digits`, i);
      if (c === 'b' && !BASE64.test(value)) throw new PatternSyntaxError(`b'${value}' is not base64`, i);
      if (c === 't' && !parseTimestamp(value)) throw new PatternSyntaxError(`t'${value}' is not a valid RFC 3339 UTC timestamp`, i);
      tokens.push({ kind: c === 'h' ? 'hex' : c === 'b' ? 'binary' : 'timestamp', text: value, offset: i });
      i = end;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(source);
    if (number && (/\d/.test(c) || ((c === '-' || c === '+' || c === '.') && number[0].length > 1))) {
      tokens.push({ kind: number[0].includes('.') ? 'float' : 'int', text: number[0], offset: i });
      i += number[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(source);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], offset: i });
      i += word[0].length;
      continue;
    }
    throw new PatternSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  tokens.push({ kind: 'eof', text: '', offset: source.length });
  return tokens;
}
