/**
 * Deterministic, realistic STIX 2.1 data for the benchmarks: indicators with STIX patterns, malware,
 * identities, relationships, SCOs (ipv4-addr, domain-name, file with hashes, url) and about 10 % later
 * versions (same id, later `modified`) of earlier SDOs and SROs. Every object validates under the
 * `standard` policy without warnings.
 *
 * Object i is a pure function of (seed, i): its randomness comes from SHA-256(seed, i), so any object
 * can be regenerated on its own. That is what lets a later version or a relationship refer to an
 * earlier object without keeping anything in memory, and what lets a stream of any length be written
 * in constant memory.
 *
 * As a command (after `npm run build`):
 *
 *   node dist/bench/data.js [--seed S] [--objects N] [--start I] [--format envelopes|ndjson|bundle]
 *                           [--envelope-size 1000] [--out FILE]
 *
 * `envelopes` writes one TAXII envelope per line, `ndjson` one object per line, `bundle` one STIX
 * bundle (what `taxiway validate FILE` reads).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';

export type StixObject = { type: string; id: string } & Record<string, unknown>;

export const DEFAULT_SEED = 'taxiway';

type Kind = 'revision' | 'indicator' | 'malware' | 'identity' | 'relationship' | 'ipv4-addr' | 'domain-name' | 'file' | 'url';

/** The mix of a threat-intelligence feed: mostly indicators, their observables and links between them. */
const MIX: readonly (readonly [Kind, number])[] = [
  ['revision', 10],
  ['indicator', 32],
  ['malware', 7],
  ['identity', 3],
  ['relationship', 18],
  ['ipv4-addr', 9],
  ['domain-name', 8],
  ['file', 7],
  ['url', 6],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

/** Kinds that have `modified`, so a later version of them is meaningful. */
const VERSIONED: ReadonlySet<Kind> = new Set(['indicator', 'malware', 'identity', 'relationship']);
const OBSERVABLES: ReadonlySet<Kind> = new Set(['ipv4-addr', 'domain-name', 'file', 'url']);

/** How far back a reference looks for an object of the wanted kind before giving up. */
const SEARCH_WINDOW = 64;
/** Most indexes whose kind is remembered (one byte each). */
const KIND_CACHE_MAX = 1 << 25;
const EPOCH_MS = Date.UTC(2024, 0, 1);
/** One second per object keeps `created` increasing with the index, so later versions are always later. */
const STEP_MS = 1000;
const DAY_MS = 86_400_000;

/** The STIX 2.1 namespace for deterministic SCO identifiers (§2.9). */
const STIX_NAMESPACE = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');
const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

const WORDS = ['amber', 'basalt', 'cobalt', 'delta', 'ember', 'falcon', 'granite', 'harbor', 'indigo', 'juniper', 'krypton', 'lumen', 'meridian', 'nimbus', 'onyx', 'pylon', 'quartz', 'raven', 'sable', 'tundra', 'umbra', 'vector', 'willow', 'xenon', 'yarrow', 'zephyr'];
const TLDS = ['com', 'net', 'org', 'info', 'biz', 'io', 'xyz', 'top', 'ru', 'cn'];
const URL_PATHS = ['login', 'update', 'download', 'invoice', 'api/v1/beacon', 'wp-content/uploads', 'static/js', 'gate.php', 'panel', 'docs/share'];
const FILE_EXTENSIONS = ['exe', 'dll', 'docm', 'js', 'ps1', 'zip', 'lnk', 'hta', 'iso', 'bin'];
const MALWARE_FAMILIES = ['Emotet', 'QakBot', 'IcedID', 'AgentTesla', 'Formbook', 'RedLine', 'LockBit', 'BlackCat', 'Cobalt Strike', 'AsyncRAT', 'Remcos', 'SmokeLoader'];
const MALWARE_TYPES = ['ransomware', 'trojan', 'backdoor', 'remote-access-trojan', 'dropper', 'downloader', 'spyware', 'worm', 'bot'];
const INDICATOR_TYPES = ['malicious-activity', 'anomalous-activity', 'compromised', 'attribution'];
const KILL_CHAIN_PHASES = ['reconnaissance', 'weaponization', 'delivery', 'exploitation', 'installation', 'command-and-control', 'actions-on-objectives'];
const SECTORS = ['financial-services', 'energy', 'government', 'healthcare', 'technology', 'telecommunications', 'manufacturing', 'education', 'retail', 'transportation'];
const ORG_NAMES = ['Northwind CERT', 'Contoso SOC', 'Fabrikam Threat Lab', 'Tailspin ISAC', 'Litware CSIRT', 'Adatum Intelligence', 'Proseware Security', 'Woodgrove Bank CTI'];
const LABELS = ['phishing', 'c2', 'botnet', 'ransomware', 'credential-theft', 'loader', 'exfiltration', 'scanner'];

/** Small fast PRNG (sfc32) over 128 bits of the object's digest: enough for choices, never for ids. */
class Draws {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: Buffer) {
    this.a = state.readUInt32LE(0);
    this.b = state.readUInt32LE(4);
    this.c = state.readUInt32LE(8);
    this.d = state.readUInt32LE(12);
    for (let i = 0; i < 8; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += (this.int(4294967296) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }
}

function formatUuid(bytes: Buffer, version: 4 | 5): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | (version << 4);
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** UUIDv5 in the STIX namespace over the canonical JSON of an SCO's ID-contributing properties (§2.9). */
function scoId(type: string, contributing: Record<string, unknown>): string {
  const name = JSON.stringify(contributing, Object.keys(contributing).sort());
  return `${type}--${formatUuid(createHash('sha1').update(STIX_NAMESPACE).update(name).digest(), 5)}`;
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** A bijection of the index onto 32 bits, so every ipv4-addr SCO has its own address (and id). */
function uniqueAddress(index: number, salt: number): string {
  const x = (Math.imul((index ^ 0x5bd1e995) >>> 0, 0x9e3779b1) + salt) >>> 0;
  return `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}

function randomAddress(d: Draws): string {
  return `${1 + d.int(223)}.${d.int(256)}.${d.int(256)}.${1 + d.int(254)}`;
}

function randomDomain(d: Draws): string {
  return `${d.pick(WORDS)}-${d.pick(WORDS)}${d.int(1000)}.${d.pick(TLDS)}`;
}

export class StixGenerator {
  private readonly seed: string;
  private readonly salt: number;
  /**
   * The kind of each index computed so far (its position in MIX + 1; 0 = not yet). References search
   * back through earlier objects' kinds, and computing one afresh costs a SHA-256: without this the
   * generator, not the server, limited the ingest scenario (about 5,000 objects/s on one core).
   */
  private kinds = new Uint8Array(1 << 16);

  constructor(seed: string = DEFAULT_SEED) {
    this.seed = seed;
    this.salt = createHash('sha256').update(`salt:${seed}`).digest().readUInt32LE(0);
  }

  /** 32 bytes of entropy for object `index`: the first 16 make its UUID, the last 16 seed its choices. */
  private digest(index: number): Buffer {
    return createHash('sha256').update(`${this.seed}\u0000${index}`).digest();
  }

  private draws(index: number): { uuid: string; d: Draws } {
    const digest = this.digest(index);
    return { uuid: formatUuid(digest, 4), d: new Draws(digest.subarray(16)) };
  }

  /** The kind drawn for an index, before a revision without an earlier target falls back to an indicator. */
  private drawnKind(index: number, d?: Draws): Kind {
    const known = index < this.kinds.length ? this.kinds[index] : 0;
    if (known !== 0) {
      // The kind is the first draw of the object's sequence: consume it as the computation would.
      d?.int(MIX_TOTAL);
      return MIX[known - 1][0];
    }
    const draws = d ?? this.draws(index).d;
    let roll = draws.int(MIX_TOTAL);
    let code = MIX.length - 1;
    for (let i = 0; i < MIX.length; i++) {
      if (roll < MIX[i][1]) {
        code = i;
        break;
      }
      roll -= MIX[i][1];
    }
    this.remember(index, code + 1);
    return MIX[code][0];
  }

  private remember(index: number, code: number): void {
    if (index >= KIND_CACHE_MAX) return;
    if (index >= this.kinds.length) {
      const grown = new Uint8Array(Math.min(KIND_CACHE_MAX, Math.max(this.kinds.length * 2, index + 1)));
      grown.set(this.kinds);
      this.kinds = grown;
    }
    this.kinds[index] = code;
  }

  /** An index before `index` whose object is of an accepted kind, searching back from a random start. */
  private earlier(index: number, d: Draws, accept: (kind: Kind) => boolean): number | undefined {
    if (index === 0) return undefined;
    const start = d.int(index);
    for (let j = start; j >= 0 && j > start - SEARCH_WINDOW; j--) {
      if (accept(this.drawnKind(j))) return j;
    }
    return undefined;
  }

  /** The id of object `index` (its first version's id when it is a revision). */
  id(index: number): string {
    return this.object(index).id;
  }

  /** Object `index`, always the same for the same seed. */
  object(index: number): StixObject {
    const { uuid, d } = this.draws(index);
    const kind = this.drawnKind(index, d);
    const created = EPOCH_MS + index * STEP_MS + d.int(STEP_MS);
    switch (kind) {
      case 'revision': {
        const target = this.earlier(index, d, (k) => VERSIONED.has(k));
        if (target === undefined) return this.indicator(index, uuid, d, created);
        return this.revise(this.object(target), d, EPOCH_MS + index * STEP_MS + d.int(STEP_MS));
      }
      case 'indicator':
        return this.indicator(index, uuid, d, created);
      case 'malware':
        return this.malware(index, uuid, d, created);
      case 'identity':
        return this.identity(uuid, d, created);
      case 'relationship':
        return this.relationship(index, uuid, d, created);
      case 'ipv4-addr': {
        const value = uniqueAddress(index, this.salt);
        return { type: 'ipv4-addr', spec_version: '2.1', id: scoId('ipv4-addr', { value }), value };
      }
      case 'domain-name': {
        const value = `${d.pick(WORDS)}-${index.toString(36)}.${d.pick(TLDS)}`;
        return { type: 'domain-name', spec_version: '2.1', id: scoId('domain-name', { value }), value };
      }
      case 'url': {
        const value = `https://${d.pick(WORDS)}-${index.toString(36)}.${d.pick(TLDS)}/${d.pick(URL_PATHS)}/${d.hex(12)}`;
        return { type: 'url', spec_version: '2.1', id: scoId('url', { value }), value };
      }
      case 'file':
        return this.file(index, d);
    }
  }

  /** Objects `start` … `start + count - 1` (count may be Infinity). */
  *objects(start: number, count: number): Generator<StixObject> {
    for (let i = start; i < start + count; i++) yield this.object(i);
  }

  private common(type: string, uuid: string, created: number): StixObject {
    const ts = timestamp(created);
    return { type, spec_version: '2.1', id: `${type}--${uuid}`, created: ts, modified: ts };
  }

  private createdBy(index: number, d: Draws): Record<string, string> {
    const author = this.earlier(index, d, (k) => k === 'identity');
    return author === undefined ? {} : { created_by_ref: this.id(author) };
  }

  private markings(d: Draws): Record<string, string[]> {
    return d.chance(0.6) ? { object_marking_refs: [TLP_GREEN] } : {};
  }

  private indicator(index: number, uuid: string, d: Draws, created: number): StixObject {
    const base = this.common('indicator', uuid, created);
    const { name, pattern } = this.pattern(d);
    const validUntil = d.chance(0.5) ? { valid_until: timestamp(created + (30 + d.int(335)) * DAY_MS) } : {};
    return {
      type: base.type,
      spec_version: base.spec_version,
      id: base.id,
      ...this.createdBy(index, d),
      created: base.created,
      modified: base.modified,
      name,
      description: `${name}, reported by partner sensors during the ${d.pick(MALWARE_FAMILIES)} campaign.`,
      indicator_types: [d.pick(INDICATOR_TYPES)],
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: base.created,
      ...validUntil,
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: d.pick(KILL_CHAIN_PHASES) }],
      labels: [d.pick(LABELS)],
      confidence: 10 * (3 + d.int(8)),
      ...this.markings(d),
    };
  }

  /** A STIX pattern over the observable types of the feed, sometimes compound or with a qualifier. */
  private pattern(d: Draws): { name: string; pattern: string } {
    switch (d.int(6)) {
      case 0: {
        const ip = randomAddress(d);
        return { name: `Malicious IPv4 address ${ip}`, pattern: `[ipv4-addr:value = '${ip}']` };
      }
      case 1: {
        const domain = randomDomain(d);
        return { name: `Malicious domain ${domain}`, pattern: `[domain-name:value = '${domain}']` };
      }
      case 2: {
        const url = `http://${randomDomain(d)}/${d.pick(URL_PATHS)}`;
        return { name: `Malicious URL ${url}`, pattern: `[url:value = '${url}']` };
      }
      case 3: {
        const sha256 = d.hex(64);
        return { name: `Malicious file ${sha256.slice(0, 12)}`, pattern: `[file:hashes.'SHA-256' = '${sha256}']` };
      }
      case 4: {
        const md5 = d.hex(32);
        const fileName = `${d.pick(WORDS)}.${d.pick(FILE_EXTENSIONS)}`;
        return { name: `Dropper ${fileName}`, pattern: `[file:hashes.MD5 = '${md5}' OR file:name = '${fileName}']` };
      }
      default: {
        const ip = randomAddress(d);
        const domain = randomDomain(d);
        return {
          name: `Beaconing to ${domain}`,
          pattern: `[domain-name:value = '${domain}'] FOLLOWEDBY [network-traffic:dst_ref.value = '${ip}' AND network-traffic:dst_port = 443] WITHIN 600 SECONDS`,
        };
      }
    }
  }

  private malware(index: number, uuid: string, d: Draws, created: number): StixObject {
    const base = this.common('malware', uuid, created);
    const family = d.pick(MALWARE_FAMILIES);
    const isFamily = d.chance(0.7);
    return {
      type: base.type,
      spec_version: base.spec_version,
      id: base.id,
      ...this.createdBy(index, d),
      created: base.created,
      modified: base.modified,
      name: isFamily ? family : `${family} sample ${index.toString(36)}`,
      description: `${family} ${isFamily ? 'family' : 'sample'} tracked by the sharing community.`,
      malware_types: [d.pick(MALWARE_TYPES)],
      is_family: isFamily,
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: d.pick(KILL_CHAIN_PHASES) }],
      external_references: [{ source_name: 'vendor-report', url: `https://reports.example.org/${family.toLowerCase().replace(/ /g, '-')}/${d.hex(8)}`, description: `${family} analysis` }],
      ...this.markings(d),
    };
  }

  private identity(uuid: string, d: Draws, created: number): StixObject {
    const base = this.common('identity', uuid, created);
    return {
      ...base,
      name: `${d.pick(ORG_NAMES)} ${d.hex(4)}`,
      description: 'A partner organisation sharing threat intelligence.',
      identity_class: 'organization',
      sectors: [d.pick(SECTORS)],
      contact_information: `cti-${d.hex(6)}@example.org`,
    };
  }

  /** indicator indicates malware, malware targets identity, or indicator related-to an observable. */
  private relationship(index: number, uuid: string, d: Draws, created: number): StixObject {
    const base = this.common('relationship', uuid, created);
    const roll = d.int(4);
    const [relationshipType, isSource, isTarget]: [string, (k: Kind) => boolean, (k: Kind) => boolean] =
      roll < 2 ? ['indicates', (k) => k === 'indicator', (k) => k === 'malware'] : roll === 2 ? ['targets', (k) => k === 'malware', (k) => k === 'identity'] : ['related-to', (k) => k === 'indicator', (k) => OBSERVABLES.has(k)];
    const source = this.earlier(index, d, isSource);
    const target = this.earlier(index, d, isTarget);
    // Early in a stream there may be nothing of the wanted kind yet: refer to an object from outside
    // the feed (refs need not resolve within a collection).
    const sourceRef = source === undefined ? `${relationshipType === 'targets' ? 'malware' : 'indicator'}--${formatUuid(this.digest(-1 - index), 4)}` : this.id(source);
    const targetRef = target === undefined ? `${relationshipType === 'targets' ? 'identity' : 'malware'}--${formatUuid(this.digest(-1 - index).subarray(16), 4)}` : this.id(target);
    return {
      type: base.type,
      spec_version: base.spec_version,
      id: base.id,
      ...this.createdBy(index, d),
      created: base.created,
      modified: base.modified,
      relationship_type: relationshipType,
      source_ref: sourceRef,
      target_ref: targetRef,
      confidence: 10 * (5 + d.int(6)),
      ...this.markings(d),
    };
  }

  private file(index: number, d: Draws): StixObject {
    const content = `${this.seed}:file:${index}`;
    const md5 = createHash('md5').update(content).digest('hex');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const name = `${d.pick(WORDS)}_${index.toString(36)}.${d.pick(FILE_EXTENSIONS)}`;
    // §2.9: of the hashes only one contributes to the id, MD5 first.
    return { type: 'file', spec_version: '2.1', id: scoId('file', { hashes: { MD5: md5 }, name }), hashes: { MD5: md5, 'SHA-256': sha256 }, name, size: 1024 + d.int(4_000_000) };
  }

  /** A later version of `previous`: same id and created, later modified, some content changed. */
  private revise(previous: StixObject, d: Draws, modified: number): StixObject {
    const next: StixObject = { ...previous, modified: timestamp(modified) };
    if (typeof next.confidence === 'number') next.confidence = 10 * (1 + d.int(10));
    next.description = `${typeof previous.description === 'string' ? `${previous.description} ` : ''}Revised ${timestamp(modified).slice(0, 10)}.`;
    return next;
  }
}

export type StreamFormat = 'envelopes' | 'ndjson' | 'bundle';

export interface EnvelopeBody {
  body: string;
  objects: number;
}

/** TAXII envelopes (`{"objects":[...]}`) of `size` objects, built one at a time. */
export function* envelopeBodies(generator: StixGenerator, start: number, count: number, size: number): Generator<EnvelopeBody> {
  for (let i = start; i < start + count; i += size) {
    const n = Math.min(size, start + count - i);
    const parts: string[] = [];
    for (let j = 0; j < n; j++) parts.push(JSON.stringify(generator.object(i + j)));
    yield { body: `{"objects":[${parts.join(',')}]}`, objects: n };
  }
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Writes `count` objects to `out` in the given format, waiting for the stream to drain so memory stays
 * flat whatever the length. Resolves with the bytes written (UTF-8).
 */
export async function writeObjects(out: Writable, generator: StixGenerator, options: { start: number; count: number; format: StreamFormat; envelopeSize: number }): Promise<number> {
  const { start, count, format, envelopeSize } = options;
  let bytes = 0;
  const emit = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    await write(out, text);
  };
  if (format === 'envelopes') {
    for (const envelope of envelopeBodies(generator, start, count, envelopeSize)) await emit(`${envelope.body}\n`);
  } else if (format === 'ndjson') {
    for (const object of generator.objects(start, count)) await emit(`${JSON.stringify(object)}\n`);
  } else {
    const bundleId = `bundle--${formatUuid(createHash('sha256').update(`bundle:${start}:${count}`).digest(), 4)}`;
    await emit(`{"type":"bundle","id":"${bundleId}","objects":[`);
    let first = true;
    for (const object of generator.objects(start, count)) {
      await emit(`${first ? '' : ','}\n${JSON.stringify(object)}`);
      first = false;
    }
    await emit('\n]}\n');
  }
  return bytes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: DEFAULT_SEED },
      objects: { type: 'string', default: '1000' },
      start: { type: 'string', default: '0' },
      format: { type: 'string', default: 'envelopes' },
      'envelope-size': { type: 'string', default: '1000' },
      out: { type: 'string' },
    },
  });
  const format = values.format as StreamFormat;
  if (!['envelopes', 'ndjson', 'bundle'].includes(format)) throw new Error(`--format must be envelopes, ndjson or bundle, not ${values.format}`);
  // A closed pipe (`| head`) ends the run quietly instead of with an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  const out = values.out === undefined ? process.stdout : createWriteStream(values.out);
  const bytes = await writeObjects(out, new StixGenerator(values.seed), {
    start: Number(values.start),
    count: Number(values.objects),
    format,
    envelopeSize: Number(values['envelope-size']),
  });
  if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  process.stderr.write(`${values.objects} objects, ${bytes} bytes (${format})\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
