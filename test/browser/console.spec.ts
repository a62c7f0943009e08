/**
 * The console in a real browser (Chromium, headless), on each store: signing in, browsing,
 * paging, an object with Copy and Download, a failed push, validation, signing out; what a user
 * must never see; forged and expired cookies and a POST without its CSRF token; axe-core on every
 * page, at 1280 and 360 px, light and dark. Screenshots go to test-results/console/ (and, with
 * TAXIWAY_DOCS_SCREENSHOTS=1, to docs/images/).
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { storeKinds } from '../support/app';
import { axeViolations, chartsDrawn, overflowsSideways, screenshot, watchProblems } from './checks';
import type { PageGlobals } from './dom';
import { describeWithChromium, launchChromium, type LaunchedBrowser } from './chromium';
import { indicatorId, seed, SEED } from './dataset';
import { CONSOLE_IDS, CONSOLE_PASSWORDS, sessionCookie, startConsoleServer, type ConsoleUser, type RunningConsole } from './harness';

const feed = `/_console/collections/feeds/${CONSOLE_IDS.indicators}/`;

describeWithChromium('the console in Chromium', (executable) => {
  describe.each(storeKinds())('%s store', (storeKind) => {
    let server: RunningConsole;
    let chromium: LaunchedBrowser;
    let failedPushId: string;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      server = await startConsoleServer({ storeKind });
      ({ failedPushId } = await seed(server));
      chromium = await launchChromium(executable);
    });
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await chromium?.close();
      await server?.close();
    });

    async function open(options: { width?: number; dark?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
      const width = options.width ?? 1280;
      const context = await chromium.browser.newContext({ baseURL: server.url, viewport: { width, height: width <= 360 ? 740 : 800 }, colorScheme: options.dark ? 'dark' : 'light', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      return { context, page, problems: watchProblems(page) };
    }

    async function signIn(page: Page, user: ConsoleUser): Promise<void> {
      await page.goto('/_console/');
      await page.getByLabel('User name').fill(user);
      await page.getByLabel('Password').fill(CONSOLE_PASSWORDS[user]);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/_console/');
    }

    /** Checks the page as it is now and takes its screenshot. */
    async function review(page: Page, problems: string[], name: string, docs?: string): Promise<void> {
      await page.waitForLoadState('load');
      await chartsDrawn(page);
      expect(await axeViolations(page)).toEqual([]);
      if ((page.viewportSize()?.width ?? 1280) <= 360) expect(await overflowsSideways(page)).toBe(false);
      expect(problems).toEqual([]);
      await screenshot(page, `${storeKind}-${name}`, { docs: storeKind === 'sqlite' ? docs : undefined });
    }

    async function storedJson(id: string): Promise<string> {
      const page = await server.store.queryObjects({ collectionId: CONSOLE_IDS.indicators, ids: [id], versions: { first: false, last: true, exact: [] }, specVersions: { any: true } }, { limit: 5 });
      return page.items[page.items.length - 1].json;
    }

    it('signs in with the keyboard, from a skip link to the password', async () => {
      const { page, problems } = await open();
      await page.goto('/_console/pushes/');
      expect(new URL(page.url()).pathname).toBe('/_console/sign-in');
      await review(page, problems, 'sign-in-1280', 'console-sign-in-1280');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent)).toBe('Skip to main content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('main');
      for (let i = 0; i < 5 && (await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)) !== 'user'; i++) await page.keyboard.press('Tab');
      await page.keyboard.type('dev');
      await page.keyboard.press('Tab');
      await page.keyboard.type(CONSOLE_PASSWORDS.dev);
      await page.keyboard.press('Enter');
      await page.waitForURL('**/_console/pushes/');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My pushes');
      expect(problems).toEqual([]);
    });

    it('browses the overview and a collection, pages through it and filters it', async () => {
      const { page, problems } = await open();
      await signIn(page, 'dev');
      expect(await chartsDrawn(page)).toBe(3);
      await review(page, problems, 'overview-1280', 'console-overview-1280');
      await page.getByRole('link', { name: 'Shared indicators' }).click();
      await page.waitForURL(`**${feed}`);
      expect(await chartsDrawn(page)).toBe(2);
      await review(page, problems, 'collection-1280', 'console-collection-1280');

      const seen: string[] = [];
      for (let pages = 1; ; pages++) {
        expect(pages).toBeLessThan(10);
        seen.push(...(await page.locator('table a[href*="/objects/"]').allTextContents()));
        const next = page.getByRole('link', { name: 'Next page' });
        if ((await next.count()) === 0) break;
        await next.click();
        await page.waitForLoadState('load');
      }
      const stored = await server.store.queryObjects({ collectionId: CONSOLE_IDS.indicators, versions: { first: false, last: true, exact: [] }, specVersions: { latest: true } }, { limit: 1000 });
      expect(seen).toEqual(stored.items.map((o) => o.id));

      await page.getByRole('link', { name: 'First page' }).click();
      await page.getByLabel('Type', { exact: true }).fill('malware');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/[?&]type=malware/);
      expect((await page.locator('table a[href*="/objects/"]').allTextContents()).sort()).toEqual([...SEED.malware].sort());
      expect(problems).toEqual([]);
    });

    it('opens an object, follows a reference, copies and downloads the stored text byte for byte', async () => {
      const { context, page, problems } = await open();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await signIn(page, 'dev');
      await page.goto(`${feed}?type=report`);
      await page.getByRole('link', { name: SEED.report }).click();
      await page.waitForURL(`**/objects/${SEED.report}/`);
      await review(page, problems, 'object-1280', 'console-object-1280');
      expect(await page.getByRole('link', { name: SEED.missing }).count()).toBe(0);
      await page.getByRole('link', { name: indicatorId(0) }).click();
      await page.waitForURL(`**/objects/${indicatorId(0)}/`);

      await page.goto(`${feed}objects/${SEED.hostile}/`);
      expect(await page.locator('script:not([src])').count()).toBe(0);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('<script>alert("name")</script><img src=x onerror=alert(1)>');
      const json = await storedJson(SEED.hostile);
      await page.getByRole('button', { name: 'Copy JSON' }).click();
      await page.getByText('Copied the stored JSON.').waitFor();
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())).toBe(json);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download JSON' }).click()]);
      expect(download.suggestedFilename()).toBe(`${SEED.hostile}.json`);
      expect(readFileSync(await download.path(), 'utf8')).toBe(json);
      expect(problems).toEqual([]);
    });

    it("reads a vendor's failed push with every failure message", async () => {
      const { page, problems } = await open();
      await signIn(page, 'vendor');
      await page.getByRole('link', { name: 'My pushes' }).click();
      await review(page, problems, 'pushes-1280', 'console-pushes-1280');
      await page.locator(`a[href*="${failedPushId}"]`).first().click();
      await page.waitForURL(`**/pushes/feeds/${failedPushId}/`);
      await review(page, problems, 'push-1280', 'console-push-1280');
      const status = await server.store.getStatus(failedPushId);
      const shown = await page.locator('#failures-h + p + .table-wrap td.message').allTextContents();
      expect(shown).toEqual(status?.failures.map((f) => f.message));
    });

    it('validates a pasted object and a loaded file, storing nothing', async () => {
      const { page, problems } = await open();
      await signIn(page, 'vendor');
      await page.getByRole('link', { name: 'Validate' }).click();
      const object = { type: 'indicator', spec_version: '2.1', id: 'indicator--1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.3']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', x_unnamed: 1 };
      await page.getByLabel('Check as').selectOption('policy:strict');
      await page.getByLabel('STIX JSON').fill(JSON.stringify({ objects: [object] }, null, 2));
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.getByText('1 object: 0 valid, 1 invalid.').waitFor();
      await review(page, problems, 'validate-1280', 'console-validate-1280');
      expect(await server.store.hasObject(CONSOLE_IDS.indicators, object.id)).toBe(false);

      const file = JSON.stringify({ type: 'bundle', id: 'bundle--1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5c', objects: [{ ...object, x_unnamed: undefined }] });
      await page.getByLabel('Or load a file into the text box').setInputFiles({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(file) });
      await page.getByText('Loaded bundle.json').waitFor();
      expect(await page.getByLabel('STIX JSON').inputValue()).toBe(file);
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.getByText('1 object: 1 valid, 0 invalid.').waitFor();
      expect(problems).toEqual([]);
    });

    it('signs out', async () => {
      const { page, problems } = await open();
      await signIn(page, 'analyst');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      await page.goto('/_console/');
      expect(new URL(page.url()).pathname).toBe('/_console/sign-in');
      expect(problems).toEqual([]);
    });

    it('never shows a user a collection, object or status they may not read, by link or by guessing', async () => {
      const { page } = await open();
      await signIn(page, 'analyst');
      const links = await page.locator('main a').evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname));
      expect(links).toEqual([`/_console/collections/reference/${CONSOLE_IDS.attack}/`]);
      const guesses = [
        feed,
        `/_console/collections/feeds/shared-indicators/`,
        `/_console/collections/feeds/${CONSOLE_IDS.private}/`,
        `${feed}objects/${SEED.report}/`,
        `${feed}objects/${SEED.report}/download`,
        `/_console/pushes/feeds/${failedPushId}/`,
      ];
      for (const guess of guesses) {
        const response = await page.goto(guess);
        expect(response?.status()).toBe(404);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
      }
      await page.goto('/_console/pushes/');
      expect(await page.content()).not.toContain(failedPushId);
    });

    it('refuses forged and expired session cookies', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const value of [sessionCookie(server.config, { u: 'dev' }, 'an-attacker-s-own-key-that-is-long-enough-0000'), sessionCookie(server.config, { u: 'dev', iat: now - 9 * 3600, seen: now - 60 })]) {
        const { context, page } = await open();
        await context.addCookies([{ name: 'taxiway_session', value, domain: '127.0.0.1', path: '/_console', httpOnly: true, sameSite: 'Strict' }]);
        await page.goto('/_console/');
        expect(new URL(page.url()).pathname).toBe('/_console/sign-in');
        await page.getByText('Your session has ended. Sign in again.').waitFor();
      }
    });

    it('refuses a POST without its CSRF token', async () => {
      const { page } = await open();
      await signIn(page, 'dev');
      await page.getByRole('link', { name: 'Validate' }).click();
      await page.locator('main input[name="_csrf"]').evaluate((input) => input.remove());
      await page.getByLabel('STIX JSON').fill('{"objects": []}');
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Validate' }).click()]);
      expect(response.status()).toBe(403);
      await page.getByRole('heading', { name: 'Form expired' }).waitFor();
    });

    describe.each([
      { width: 360, dark: false },
      { width: 1280, dark: true },
    ])('every page at $width px, dark: $dark', ({ width, dark }) => {
      const suffix = `${width}${dark ? '-dark' : ''}`;
      const docs = (name: string): string | undefined => (dark ? undefined : `console-${name}-${suffix}`);

      it('passes axe-core, fits the screen and draws its charts', async () => {
        const dev = await open({ width, dark });
        await dev.page.goto('/_console/sign-in');
        await review(dev.page, dev.problems, `sign-in-${suffix}`, docs('sign-in'));
        await signIn(dev.page, 'dev');
        await review(dev.page, dev.problems, `overview-${suffix}`, docs('overview'));
        await dev.page.goto(feed);
        await review(dev.page, dev.problems, `collection-${suffix}`, docs('collection'));
        await dev.page.goto(`${feed}objects/${SEED.report}/`);
        await review(dev.page, dev.problems, `object-${suffix}`, docs('object'));

        const vendor = await open({ width, dark });
        await signIn(vendor.page, 'vendor');
        await vendor.page.goto('/_console/pushes/');
        await review(vendor.page, vendor.problems, `pushes-${suffix}`, docs('pushes'));
        await vendor.page.goto(`/_console/pushes/feeds/${failedPushId}/`);
        await review(vendor.page, vendor.problems, `push-${suffix}`, docs('push'));
        await vendor.page.goto('/_console/validate');
        await vendor.page.getByLabel('STIX JSON').fill('{"objects": [{"type": "indicator", "id": "indicator--bad"}]}');
        await vendor.page.getByRole('button', { name: 'Validate' }).click();
        await vendor.page.getByText('1 object: 0 valid, 1 invalid.').waitFor();
        await review(vendor.page, vendor.problems, `validate-${suffix}`, docs('validate'));
      });
    });
  });
});
