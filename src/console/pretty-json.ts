/**
 * Indents stored JSON for reading without parsing it: only whitespace between tokens changes, so
 * every string, number and key reads exactly as stored (a parse and re-serialise could round
 * numbers and would drop repeated keys).
 */

const INDENT = '  ';

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

/** The index just past the string literal starting at `start` (a `"`). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return text.length;
}

export function prettyJson(text: string): string {
  const out: string[] = [];
  let depth = 0;
  const newline = (): void => {
    out.push('\n', INDENT.repeat(depth));
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = endOfString(text, i);
      out.push(text.slice(i, end));
      i = end - 1;
    } else if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      let j = i + 1;
      while (j < text.length && isSpace(text[j])) j++;
      if (text[j] === close) {
        // Empty containers stay on one line.
        out.push(ch, close);
        i = j;
      } else {
        depth++;
        out.push(ch);
        newline();
      }
    } else if (ch === '}' || ch === ']') {
      depth = Math.max(0, depth - 1);
      newline();
      out.push(ch);
    } else if (ch === ',') {
      out.push(',');
      newline();
    } else if (ch === ':') {
      out.push(': ');
    } else if (!isSpace(ch)) {
      out.push(ch);
    }
  }
  return out.join('');
}
