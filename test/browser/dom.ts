/**
 * The few browser globals the tests read inside `page.evaluate` callbacks (which run in the page).
 * The project compiles without the DOM library, so they are described here, as types only; a
 * callback casts `globalThis` itself (it runs in the page, so it cannot call this module).
 */
export interface PageGlobals {
  document: {
    activeElement: { id: string; textContent: string | null } | null;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
  navigator: { clipboard: { readText(): Promise<string> } };
  axe?: { run(context: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
  Chart?: { instances: Record<string, unknown> };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}
