/**
 * The browser of the browser tests: the system's Chromium (Debian's `chromium` package), driven by
 * playwright-core, which downloads no browser of its own. Without Chromium the tests are skipped
 * with a notice, or fail under TAXIWAY_REQUIRE_BROWSER=1 (CI installs it first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** The Chromium to use: TAXIWAY_CHROMIUM, else the first installed one. */
export function chromiumPath(): string | undefined {
  const configured = process.env.TAXIWAY_CHROMIUM?.trim();
  if (configured) return configured;
  return CANDIDATES.find((p) => existsSync(p));
}

export function browserRequired(): boolean {
  return process.env.TAXIWAY_REQUIRE_BROWSER === '1';
}

export const HOW_TO_RUN = 'Browser tests skipped: no Chromium found. Install it (apt-get install chromium) or set TAXIWAY_CHROMIUM to its path; TAXIWAY_REQUIRE_BROWSER=1 makes this a failure.';

/** Flags for a quiet, offline, headless Chromium (the test machines' network is closed). */
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  // Playwright gives every launch a fresh profile of its own; the temporary folder is for
  // Chromium's other state (crash dumps, caches), removed afterwards.
  const scratch = mkdtempSync(path.join(tmpdir(), 'taxiway-chromium-'));
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS, env: { ...process.env, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch } });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * `describe` for tests that need Chromium: the real thing when it is installed; otherwise one
 * skipped test and a notice, or one failing test when the browser is required.
 */
export function describeWithChromium(name: string, body: (executablePath: string) => void): void {
  const executable = chromiumPath();
  if (executable !== undefined && existsSync(executable)) {
    describe(name, () => body(executable));
    return;
  }
  if (browserRequired()) {
    describe(name, () => {
      it('has Chromium to test with', () => {
        throw new Error(`TAXIWAY_REQUIRE_BROWSER=1 but no Chromium was found (looked for ${process.env.TAXIWAY_CHROMIUM ?? CANDIDATES.join(', ')})`);
      });
    });
    return;
  }
  process.stderr.write(`${HOW_TO_RUN}\n`);
  describe.skip(name, () => {
    it('needs Chromium', () => undefined);
  });
}
