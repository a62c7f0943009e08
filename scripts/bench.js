'use strict';
// `npm run bench` (after the build): runs the benchmarks one after another, each in its own process
// so one's heap and JIT state do not colour the next:
//   validate  validation throughput on the ATT&CK corpus        (bench/validate.ts)
//   store     the embedded store without HTTP                   (bench/store.ts)
//   http      the end-to-end harness: Taxiway as a server       (bench/http.ts, docs/performance.md)
// The store bench's insert rate is handed to the harness (BENCH_STORE_INSERT_ROWS) so the report's
// table shows it beside its target. Validate and store are pinned to the server core like the server.
//
//   node scripts/bench.js [--smoke] [validate|store|http ...]
//
// Names select benches; flags (--smoke) go to the harness, and --smoke also shortens the store bench.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'dist', 'bench');
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const smoke = flags.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const serverCpu = process.env.BENCH_SERVER_CPU ?? '0';
const canPin = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** The store bench's object count follows BENCH_OBJECTS (its first argument), and stays small in smoke runs. */
function storeArgs() {
  if (process.env.BENCH_OBJECTS) return [process.env.BENCH_OBJECTS];
  return smoke ? ['300'] : [];
}

const benches = [
  { name: 'validate', file: 'validate.js', args: () => [], pin: true },
  { name: 'store', file: 'store.js', args: storeArgs, pin: true, capture: true },
  { name: 'http', file: 'http.js', args: () => flags, pin: false },
].filter((b) => only.length === 0 || only.some((o) => b.name.startsWith(o)));

/** "insert 100000 objects in batches of 1000 ....  6451.00 ms" in bench/store.ts's output. */
function insertRate(output) {
  const match = /^insert (\d+) objects in batches of \d+\s+([\d.]+) ms/m.exec(output);
  return match ? Math.round(Number(match[1]) / (Number(match[2]) / 1000)) : undefined;
}

let current;
let interrupted = false;
// Ctrl-C reaches the children through the terminal's process group; SIGTERM (e.g. a CI timeout) does
// not, so forward both and leave once the running bench has cleaned up after itself.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    if (current && current.exitCode === null) current.kill(signal);
    else process.exit(130);
  });
}

function run(bench, env) {
  const script = path.join(dir, bench.file);
  const nodeArgs = ['--expose-gc', script, ...bench.args()];
  const [command, commandArgs] = bench.pin && canPin ? ['taskset', ['-c', serverCpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve) => {
    let output = '';
    current = spawn(command, commandArgs, { stdio: ['inherit', bench.capture ? 'pipe' : 'inherit', 'inherit'], env });
    if (bench.capture) {
      current.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        output += chunk.toString('utf8');
      });
    }
    current.on('error', (err) => {
      console.error(`could not start ${script}: ${err.message}`);
      resolve({ code: 1, output });
    });
    current.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  const env = { ...process.env };
  const failed = [];
  for (const bench of benches) {
    if (!existsSync(path.join(dir, bench.file))) {
      console.error(`dist/bench/${bench.file} is missing: run npm run build first`);
      failed.push(bench.name);
      continue;
    }
    console.log(`\n== bench/${bench.file.replace(/\.js$/, '.ts')} ==`);
    const { code, output } = await run(bench, env);
    if (interrupted) process.exit(130);
    if (code !== 0) failed.push(bench.name);
    const rate = bench.name === 'store' ? insertRate(output) : undefined;
    if (rate !== undefined) env.BENCH_STORE_INSERT_ROWS = String(rate);
  }
  if (failed.length > 0) console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(failed.length === 0 ? 0 : 1);
}

main();
