/**
 * The console's stylesheet. It is kept in a module rather than a .css file so that `tsc` carries
 * it into dist/ with the code (the build copies no other files). No inline styles anywhere: the
 * Content-Security-Policy forbids them. Colours meet WCAG AA contrast in light and dark schemes.
 */
export const STYLESHEET = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --surface: #f6f8fa; --ink: #1f2328; --muted: #57606a; --border: #d0d7de;
  --accent: #0a58ca; --accent-ink: #ffffff; --bad: #b42318; --bad-bg: #fdecea; --good: #1a7f37; --good-bg: #e8f5ec;
  --focus: #0a58ca; --grid: #d8dee4;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --surface: #161b22; --ink: #e6edf3; --muted: #9da7b3; --border: #30363d;
    --accent: #6cb6ff; --accent-ink: #0d1117; --bad: #ff9492; --bad-bg: #3a1d1d; --good: #56d364; --good-bg: #12281a;
    --focus: #6cb6ff; --grid: #30363d;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.75rem; }
h3 { font-size: 1rem; margin: 0 0 0.5rem; }
code, pre, .mono { font-family: var(--mono); font-size: 0.875rem; }
.mono, .id { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.small { font-size: 0.875rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 1rem; background: var(--accent); color: var(--accent-ink); z-index: 10; border-radius: 4px; }
.skip-link:focus { top: 0.5rem; }

.site-header { border-bottom: 1px solid var(--border); background: var(--surface); }
.site-header .bar { max-width: 72rem; margin: 0 auto; padding: 0.5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; font-size: 1.1rem; }
.site-header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.site-header nav a { text-decoration: none; padding: 0.25rem 0; display: inline-block; }
.site-header nav a[aria-current="page"] { color: var(--ink); font-weight: 600; border-bottom: 2px solid var(--accent); }
.sign-out { margin-left: auto; display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
main:focus { outline: none; }
.site-footer { max-width: 72rem; margin: 0 auto; padding: 1rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.875rem; }

.button, button { display: inline-block; font: inherit; font-size: 0.95rem; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; line-height: 1.4; }
.button.secondary, button.secondary { background: transparent; color: var(--accent); }
.sign-out button { padding: 0.25rem 0.75rem; }
input, select, textarea { font: inherit; color: var(--ink); background: var(--bg); border: 1px solid var(--muted); border-radius: 6px; padding: 0.4rem 0.6rem; max-width: 100%; }
textarea { width: 100%; font-family: var(--mono); font-size: 0.875rem; }
label { font-weight: 600; display: block; margin-bottom: 0.25rem; }
.field { margin-bottom: 1rem; }
.hint { color: var(--muted); font-size: 0.875rem; margin: 0.25rem 0 0; }
.narrow { max-width: 26rem; }
.narrow input { width: 100%; }

.notice, .error, .success { padding: 0.6rem 0.9rem; border-radius: 6px; border: 1px solid var(--border); }
.notice { background: var(--surface); }
.error { background: var(--bad-bg); border-color: var(--bad); color: var(--ink); }
.success { background: var(--good-bg); border-color: var(--good); color: var(--ink); }
.bad { color: var(--bad); font-weight: 600; }
.good { color: var(--good); font-weight: 600; }

.crumbs ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; font-size: 0.9rem; color: var(--muted); }
.crumbs li + li::before { content: "/"; margin-right: 0.25rem; color: var(--muted); }

.cards { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
.card, .panel { border: 1px solid var(--border); border-radius: 8px; padding: 1rem; background: var(--surface); min-width: 0; }
.card h3 { font-size: 1.05rem; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.stats { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0; }
.stats div { display: flex; flex-direction: column; }
.stats dt { color: var(--muted); font-size: 0.8rem; }
.stats dd { margin: 0; font-weight: 600; }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.charts h2 { margin-top: 0; font-size: 1.05rem; }
.chart { position: relative; height: 16rem; width: 100%; }
.spark { position: relative; height: 3rem; width: 100%; margin-top: 0.5rem; }
details { margin-top: 0.5rem; }
summary { cursor: pointer; color: var(--accent); }

.table-wrap { position: relative; overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 0.925rem; }
th, td { text-align: left; padding: 0.45rem 0.7rem; border-bottom: 1px solid var(--border); vertical-align: top; }
thead th { background: var(--surface); font-weight: 600; white-space: nowrap; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id, td.message { overflow-wrap: anywhere; min-width: 12rem; }
td.nowrap { white-space: nowrap; }

.filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; margin-bottom: 1rem; }
.filters .field { margin: 0; }
.filters input { width: 13rem; }
.filters .actions { display: flex; gap: 0.5rem; align-items: center; }
.pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1rem 0; }

pre.json { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 1rem; overflow: auto; max-height: 36rem; margin: 0; line-height: 1.45; }
.messages { margin: 0.5rem 0 0; padding-left: 1.25rem; }
.messages li { overflow-wrap: anywhere; margin-bottom: 0.25rem; }
.pushes { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
.pushes h2 { margin: 0 0 0.25rem; font-size: 1.05rem; }
.refs { padding-left: 1.25rem; }
.refs li { overflow-wrap: anywhere; margin-bottom: 0.25rem; }

@media (max-width: 40rem) {
  h1 { font-size: 1.35rem; }
  .filters input, .filters select { width: 100%; }
  .filters .field { flex: 1 1 100%; }
  .sign-out { margin-left: 0; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.4rem; }
}
`;
