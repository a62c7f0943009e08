/**
 * Picks the items of the object list out of a JSON token stream and assembles each into a value:
 * the elements of a top-level array, or of the top-level `objects` member of a bundle or envelope.
 * Everything else in the document is skipped without being built, so memory holds one item at
 * a time. Values come out as JSON.parse would make them (including a `__proto__` key as a plain
 * property, which assigning it would not).
 */
import type { JsonToken } from './tokenizer';

/** The document's `objects` member is there but is not a list. */
export class NotAList extends Error {}

export class ItemPicker {
  /** Container depth of the document around the next token (items being built excluded). */
  private depth = 0;
  /** Depth inside the items list while it is open. */
  private itemsDepth: number | undefined;
  /** The previous token was the key `objects` of the top-level object. */
  private atObjectsKey = false;
  private item: ValueBuilder | undefined;

  constructor(private readonly root: 'array' | 'document') {}

  /** Consumes a token; calls `emit` when it completes an item. */
  consume(token: JsonToken, emit: (value: unknown) => void): void {
    if (this.item !== undefined) {
      if (this.item.consume(token)) {
        emit(this.item.value);
        this.item = undefined;
      }
      return;
    }
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    if (this.depth === this.itemsDepth && !closes) {
      // An item begins: containers are built token by token, a scalar is complete at once.
      const builder = new ValueBuilder();
      if (builder.consume(token)) emit(builder.value);
      else this.item = builder;
      return;
    }
    if (this.atObjectsKey && token.name !== 'startArray') throw new NotAList('its "objects" member is not a list of objects');
    if (opens) {
      this.depth++;
      if ((this.root === 'array' && this.depth === 1) || this.atObjectsKey) this.itemsDepth = this.depth;
    } else if (closes) {
      if (this.depth === this.itemsDepth) this.itemsDepth = undefined;
      this.depth--;
    }
    this.atObjectsKey = this.root === 'document' && this.depth === 1 && token.name === 'keyValue' && token.value === 'objects';
  }
}

type Container = unknown[] | Record<string, unknown>;

/** Builds one JSON value from its tokens. */
class ValueBuilder {
  value: unknown;
  private readonly containers: Container[] = [];
  /** For each open container, the key it will be stored under in its parent. */
  private readonly keys: Array<string | undefined> = [];
  private key: string | undefined;

  /** Returns true once the value is complete. */
  consume(token: JsonToken): boolean {
    switch (token.name) {
      case 'startObject':
        return this.open({});
      case 'startArray':
        return this.open([]);
      case 'endObject':
      case 'endArray': {
        const done = this.containers.pop();
        this.key = this.keys.pop();
        return this.save(done);
      }
      case 'keyValue':
        this.key = token.value;
        return false;
      case 'stringValue':
        return this.save(token.value ?? '');
      case 'numberValue':
        return this.save(Number(token.value));
      case 'nullValue':
        return this.save(null);
      case 'trueValue':
        return this.save(true);
      case 'falseValue':
        return this.save(false);
      default:
        // Streamed pieces (startString, stringChunk…) are not produced: the tokenizer packs values.
        return false;
    }
  }

  private open(container: Container): boolean {
    this.keys.push(this.key);
    this.key = undefined;
    this.containers.push(container);
    return false;
  }

  private save(value: unknown): boolean {
    const parent = this.containers[this.containers.length - 1];
    if (parent === undefined) {
      this.value = value;
      return true;
    }
    if (Array.isArray(parent)) parent.push(value);
    else if (this.key === '__proto__') Object.defineProperty(parent, this.key, { value, enumerable: true, writable: true, configurable: true });
    else parent[this.key as string] = value;
    return false;
  }
}
