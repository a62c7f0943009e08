/**
 * Server-side rendering with Eta. `autoEscape` is on, so every `<%= %>` value (STIX content
 * included) is HTML-escaped; the only raw output is the layout's `body`, which Eta itself rendered.
 * Templates live in modules (not files) so the build carries them into dist/; each page's data is
 * typed, and pages receive only strings and numbers already formatted in TypeScript.
 */
import { Eta } from 'eta';
import { COLLECTION, type CollectionData } from './collection';
import { ERROR, type ErrorData } from './error';
import { LAYOUT } from './layout';
import { OBJECT, type ObjectData } from './object';
import { OVERVIEW, type OverviewData } from './overview';
import { PUSH, STATUS_ENTRIES, type PushData } from './push';
import { PUSHES, type PushesData } from './pushes';
import { SIGN_IN, type SignInData } from './sign-in';
import { VALIDATE, type ValidateData } from './validate';

export type { LayoutData } from './layout';

export interface Pages {
  'sign-in': SignInData;
  overview: OverviewData;
  collection: CollectionData;
  object: ObjectData;
  pushes: PushesData;
  push: PushData;
  validate: ValidateData;
  error: ErrorData;
}

const TEMPLATES: Record<keyof Pages, string> = {
  'sign-in': SIGN_IN,
  overview: OVERVIEW,
  collection: COLLECTION,
  object: OBJECT,
  pushes: PUSHES,
  push: PUSH,
  validate: VALIDATE,
  error: ERROR,
};

export class Views {
  private readonly eta = new Eta({ autoEscape: true, cache: true });

  constructor() {
    this.eta.loadTemplate('@layout', LAYOUT);
    this.eta.loadTemplate('@status-entries', STATUS_ENTRIES);
    for (const [name, template] of Object.entries(TEMPLATES)) this.eta.loadTemplate(`@${name}`, template);
  }

  render<K extends keyof Pages>(page: K, data: Pages[K]): string {
    return this.eta.render(`@${page}`, data);
  }
}
