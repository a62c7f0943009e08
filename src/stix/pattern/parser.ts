/**
 * Recursive-descent parser for STIX 2.1 patterns (STIX 2.1 section 9, grammar STIXPattern.g4):
 *
 *   pattern          := observations EOF
 *   observations     := obsOr ('FOLLOWEDBY' obsOr)*
 *   obsOr            := obsAnd ('OR' obsAnd)*
 *   obsAnd           := obsQualified ('AND' obsQualified)*
 *   obsQualified     := obsPrimary qualifier*
 *   obsPrimary       := '[' comparisonOr ']' | '(' observations ')'
 *   qualifier        := 'WITHIN' number 'SECONDS' | 'REPEATS' int 'TIMES' | 'START' t'..' 'STOP' t'..'
 *   comparisonOr     := comparisonAnd ('OR' comparisonAnd)*
 *   comparisonAnd    := test ('AND' test)*
 *   test             := '(' comparisonOr ')' | 'EXISTS' path
 *                     | path 'NOT'? (op literal | 'IN' set | ('LIKE'|'MATCHES'|'ISSUBSET'|'ISSUPERSET') string)
 *   path             := objectType ':' (name | string) ('.' (name | string) | '[' (int | '*') ']')*
 *
 * It returns the object paths used, for the semantic checks of the indicator rule.
 */
import { PatternSyntaxError, tokenize, type Token, type TokenKind } from './lexer';

export interface ObjectPath {
  objectType: string;
  /** First property after the colon, e.g. `hashes` in `file:hashes.'SHA-256'`. */
  property: string;
  offset: number;
}

export interface ParsedPattern {
  objectPaths: ObjectPath[];
}

export { PatternSyntaxError };

const KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN', 'EXISTS',
  'WITHIN', 'SECONDS', 'REPEATS', 'TIMES', 'START', 'STOP',
]);
const STRING_OPERATORS: ReadonlySet<string> = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const ORDERING_OPERATORS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);
const ORDERABLE_CONSTANTS: ReadonlySet<TokenKind> = new Set(['int', 'float', 'string', 'binary', 'hex', 'timestamp']);
const PROPERTY_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOOLEAN = /^(?:true|false)$/i;

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the pattern';
  if (token.kind === 'string') return `'${token.text}'`;
  return JSON.stringify(token.text);
}

class Parser {
  private position = 0;
  readonly objectPaths: ObjectPath[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  private get current(): Token {
    return this.tokens[this.position];
  }

  private fail(expected: string): never {
    throw new PatternSyntaxError(`expected ${expected} but found ${describe(this.current)}`, this.current.offset);
  }

  private isKeyword(word: string): boolean {
    return this.current.kind === 'word' && this.current.text === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(word);
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.current;
    if (token.kind !== kind) this.fail(what);
    this.position++;
    return token;
  }

  parsePattern(): void {
    this.observations();
    if (this.current.kind !== 'eof') this.fail('FOLLOWEDBY, AND, OR, a qualifier or the end of the pattern');
  }

  private observations(): void {
    this.observationOr();
    while (this.acceptKeyword('FOLLOWEDBY')) this.observationOr();
  }

  private observationOr(): void {
    this.observationAnd();
    while (this.acceptKeyword('OR')) this.observationAnd();
  }

  private observationAnd(): void {
    this.observationQualified();
    while (this.acceptKeyword('AND')) this.observationQualified();
  }

  private observationQualified(): void {
    if (this.current.kind === 'lbracket') {
      this.position++;
      this.comparisonOr();
      this.expect('rbracket', "']' closing the observation expression");
    } else if (this.current.kind === 'lparen') {
      this.position++;
      this.observations();
      this.expect('rparen', "')'");
    } else this.fail("'[' or '(' starting an observation expression");
    while (this.qualifier());
  }

  private qualifier(): boolean {
    if (this.acceptKeyword('WITHIN')) {
      const n = this.current;
      if ((n.kind !== 'int' && n.kind !== 'float') || Number(n.text) <= 0) this.fail('a positive number of seconds after WITHIN');
      this.position++;
      this.expectKeyword('SECONDS');
      return true;
    }
    if (this.acceptKeyword('REPEATS')) {
      const n = this.current;
      if (n.kind !== 'int' || Number(n.text) <= 0) this.fail('a positive integer after REPEATS');
      this.position++;
      this.expectKeyword('TIMES');
      return true;
    }
    if (this.acceptKeyword('START')) {
      this.expect('timestamp', "a t'...' timestamp after START");
      this.expectKeyword('STOP');
      this.expect('timestamp', "a t'...' timestamp after STOP");
      return true;
    }
    return false;
  }

  private comparisonOr(): void {
    this.comparisonAnd();
    while (this.acceptKeyword('OR')) this.comparisonAnd();
  }

  private comparisonAnd(): void {
    this.test();
    while (this.acceptKeyword('AND')) this.test();
  }

  private test(): void {
    if (this.current.kind === 'lparen') {
      this.position++;
      this.comparisonOr();
      this.expect('rparen', "')'");
      return;
    }
    if (this.acceptKeyword('EXISTS')) {
      this.objectPath();
      return;
    }
    this.objectPath();
    this.acceptKeyword('NOT');
    const token = this.current;
    if (token.kind === 'operator') {
      this.position++;
      this.constant(ORDERING_OPERATORS.has(token.text));
    } else if (this.acceptKeyword('IN')) {
      this.set();
    } else if (token.kind === 'word' && STRING_OPERATORS.has(token.text)) {
      this.position++;
      this.expect('string', `a string constant after ${token.text}`);
    } else this.fail('a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)');
  }

  private constant(orderable: boolean): void {
    const token = this.current;
    if (ORDERABLE_CONSTANTS.has(token.kind)) {
      this.position++;
      return;
    }
    if (token.kind === 'word' && BOOLEAN.test(token.text)) {
      if (orderable) this.fail('an orderable constant (booleans cannot be ordered)');
      this.position++;
      return;
    }
    this.fail('a constant');
  }

  private set(): void {
    this.expect('lparen', "'(' starting a set after IN");
    if (this.current.kind === 'rparen') {
      this.position++;
      return;
    }
    this.constant(false);
    while (this.current.kind === 'comma') {
      this.position++;
      this.constant(false);
    }
    this.expect('rparen', "',' or ')' in the set");
  }

  private objectPath(): void {
    const typeToken = this.current;
    if (typeToken.kind !== 'word' || KEYWORDS.has(typeToken.text)) this.fail('an object path such as file:name');
    this.position++;
    this.expect('colon', `':' after the object type ${JSON.stringify(typeToken.text)}`);
    const property = this.pathName();
    this.objectPaths.push({ objectType: typeToken.text, property, offset: typeToken.offset });
    for (;;) {
      if (this.current.kind === 'dot') {
        this.position++;
        this.pathName();
      } else if (this.current.kind === 'lbracket') {
        this.position++;
        const index = this.tokens[this.position].kind;
        if (index === 'star' || index === 'int') this.position++;
        else this.fail("a list index or '*'");
        this.expect('rbracket', "']' closing the list index");
      } else return;
    }
  }

  private pathName(): string {
    const token = this.current;
    if (token.kind === 'string') {
      this.position++;
      return token.text;
    }
    if (token.kind === 'word' && PROPERTY_WORD.test(token.text) && !KEYWORDS.has(token.text)) {
      this.position++;
      return token.text;
    }
    if (token.kind === 'word' && token.text.includes('-')) {
      throw new PatternSyntaxError(`property name ${JSON.stringify(token.text)} contains a hyphen and must be quoted`, token.offset);
    }
    return this.fail('a property name');
  }
}

/** Parses a STIX 2.1 pattern; throws PatternSyntaxError with the offset of the problem. */
export function parsePattern(source: string): ParsedPattern {
  const parser = new Parser(tokenize(source));
  parser.parsePattern();
  return { objectPaths: parser.objectPaths };
}
