/**
 * What every console page is checked for in the browser: no Content-Security-Policy violation or
 * script error, no serious or critical axe-core violation, no sideways scrolling at 360 px; and a
 * screenshot for review.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { AxeViolation, PageGlobals } from './dom';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const RESULTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'console');
export const DOCS_IMAGES_DIR = path.join(__dirname, '..', '..', 'docs', 'images');

/** Collects CSP violations and uncaught script errors of a page. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  return problems;
}

/** Serious and critical axe-core violations of the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  await page.evaluate(AXE_SOURCE);
  const { violations, passes } = await page.evaluate(async (): Promise<{ violations: AxeViolation[]; passes: number }> => {
    // Callbacks run in the page, so they cannot call this module's helpers: they cast globalThis themselves.
    const page = globalThis as unknown as PageGlobals;
    if (!page.axe) throw new Error('axe-core did not load');
    const results = await page.axe.run(page.document);
    return { violations: results.violations, passes: results.passes.length };
  });
  // A run that checked nothing would pass vacuously.
  if (passes === 0) throw new Error('axe-core checked no rule on this page');
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return g.document.documentElement.scrollWidth > g.innerWidth + 1;
  });
}

/** Waits until every chart on the page is drawn (Chart.js registers each instance). */
export async function chartsDrawn(page: Page): Promise<number> {
  const canvases = await page.locator('canvas[data-chart]').count();
  if (canvases === 0) return 0;
  await page.waitForFunction((n) => {
    const chart = (globalThis as unknown as PageGlobals).Chart;
    return chart !== undefined && Object.keys(chart.instances).length >= n;
  }, canvases);
  return canvases;
}

export async function screenshot(page: Page, name: string, options: { docs?: string } = {}): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true });
  // Screenshots for the documentation are rewritten only on request, from the viewport (small files).
  if (options.docs !== undefined && process.env.TAXIWAY_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_IMAGES_DIR, `${options.docs}.png`), fullPage: false });
  }
}
