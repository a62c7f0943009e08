#!/usr/bin/env node
'use strict';
/**
 * Runs the Dockerfile's steps without a Docker engine (CI has none), so a broken step, a missing
 * COPY source or an image that does not start is caught before anyone builds the image:
 *
 *   node scripts/dockerfile-check.js [--keep]
 *
 * Each stage gets a clean folder standing in for the image's root; WORKDIR, COPY (from the build
 * context, honouring .dockerignore, or --from an earlier stage), ENV and RUN are carried out there,
 * with the absolute paths the Dockerfile uses (/app, /etc/taxiway, /data) mapped into that folder.
 * Then the final stage's ENTRYPOINT and CMD start the server, the HEALTHCHECK command must succeed,
 * and SIGTERM must stop it with exit code 0. What cannot be emulated is said, not hidden: the base
 * image (this machine's Node and toolchain stand in for node:20-bookworm-slim), USER (the steps
 * run as the current user) and apt-get (run only as root).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const keep = process.argv.includes('--keep');
const log = (message) => console.log(`dockerfile-check: ${message}`);

/** Instructions with line continuations joined and comments dropped, grouped by stage. */
function parseDockerfile(text) {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = [];
  for (const line of lines) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line);
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      stages.push({ base: match[1], name: match[2] ?? String(stages.length), instructions: [] });
    } else stages[stages.length - 1].instructions.push(instruction);
  }
  return stages;
}

function dockerignore() {
  const file = path.join(ROOT, '.dockerignore');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
}

function ignored(relative, patterns) {
  return patterns.some((p) => relative === p || relative.startsWith(`${p}/`));
}

function copyTree(from, to, relative, patterns) {
  const stat = fs.statSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from)) {
      const rel = relative ? `${relative}/${entry}` : entry;
      if (!ignored(rel, patterns)) copyTree(path.join(from, entry), path.join(to, entry), rel, patterns);
    }
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

/** Maps the image's absolute paths into the stage folder. */
function mapper(stageRoot) {
  return (text) => text.replace(/(^|[\s=:"'])\/(app|etc\/taxiway|data)(?=[/\s"':]|$)/g, (_m, before, dir) => `${before}${stageRoot}/${dir}`);
}

function parseJsonArray(args) {
  return args.trim().startsWith('[') ? JSON.parse(args) : ['/bin/sh', '-c', args];
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  const stages = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxiway-dockerfile-'));
  const patterns = dockerignore();
  const roots = new Map();
  const isRoot = process.getuid?.() === 0;
  let final;
  try {
    for (const stage of stages) {
      const stageRoot = path.join(work, `stage-${stage.name}`);
      fs.mkdirSync(stageRoot, { recursive: true });
      roots.set(stage.name, stageRoot);
      const map = mapper(stageRoot);
      const env = { ...process.env };
      let workdir = stageRoot;
      let healthcheck;
      let entrypoint = [];
      let cmd = [];
      log(`stage ${stage.name} (FROM ${stage.base}: this machine's Node ${process.version} stands in for it)`);
      for (const { keyword, args } of stage.instructions) {
        switch (keyword) {
          case 'WORKDIR':
            workdir = map(args);
            fs.mkdirSync(workdir, { recursive: true });
            break;
          case 'ENV':
            for (const [, name, value] of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) env[name] = map(value.replace(/^"|"$/g, ''));
            break;
          case 'COPY': {
            const parts = args.split(/\s+/);
            const fromStage = parts[0].startsWith('--from=') ? parts.shift().slice('--from='.length) : undefined;
            const dest = parts.pop();
            const target = path.isAbsolute(dest) ? map(dest) : path.join(workdir, dest);
            for (const source of parts) {
              const origin = fromStage === undefined ? path.join(ROOT, source) : map(source).replace(stageRoot, roots.get(fromStage));
              if (!fs.existsSync(origin)) throw new Error(`COPY ${source}: not found (${origin})`);
              const into = dest.endsWith('/') || parts.length > 1 ? path.join(target, path.basename(source)) : target;
              copyTree(origin, into, fromStage === undefined ? source.replace(/^\.\//, '') : '', fromStage === undefined ? patterns : []);
            }
            break;
          }
          case 'RUN': {
            if (/apt-get/.test(args) && !isRoot) {
              log(`RUN ${args.slice(0, 60)}…: skipped (apt-get needs root; the packages it installs must already be here)`);
              break;
            }
            // USER cannot be emulated: ownership changes to the image's user are skipped.
            const command = map(args).replace(/chown\s+\S+\s+\S+/g, 'true');
            log(`RUN ${args}`);
            const result = spawnSync('/bin/sh', ['-c', command], { cwd: workdir, env, stdio: 'inherit' });
            if (result.status !== 0) throw new Error(`RUN ${args}: exit code ${result.status}`);
            break;
          }
          case 'HEALTHCHECK':
            healthcheck = args.replace(/^(--\S+\s+)*CMD\s+/, '');
            break;
          case 'ENTRYPOINT':
            entrypoint = parseJsonArray(args);
            break;
          case 'CMD':
            cmd = parseJsonArray(args);
            break;
          case 'USER':
            log(`USER ${args}: not emulated (steps run as ${os.userInfo().username})`);
            break;
          case 'EXPOSE':
          case 'VOLUME':
          case 'STOPSIGNAL':
          case 'LABEL':
          case 'ARG':
            break;
          default:
            throw new Error(`${keyword} is not emulated by this script: teach it, or keep the Dockerfile to what it knows`);
        }
      }
      final = { stageRoot, workdir, env, healthcheck, argv: [...entrypoint, ...cmd] };
    }
    await runImage(final);
    log('every step ran, the server started, the health check passed and SIGTERM stopped it cleanly');
  } finally {
    if (keep) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

async function runImage({ workdir, env, healthcheck, argv }) {
  if (!healthcheck) throw new Error('the final stage has no HEALTHCHECK');
  const port = await freePort();
  // The image listens on 0.0.0.0:8000; here a free loopback port stands in for it.
  const runEnv = { ...env, TAXIWAY_HOST: '127.0.0.1', TAXIWAY_PORT: String(port) };
  const [command, ...args] = argv;
  log(`starting: ${argv.join(' ')}`);
  const child = spawn(command === 'node' ? process.execPath : command, args, { cwd: workdir, env: runEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const check = healthcheck.replace(/127\.0\.0\.1:8000/g, `127.0.0.1:${port}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was healthy`);
    if (spawnSync('/bin/sh', ['-c', check], { env: runEnv }).status === 0) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the HEALTHCHECK command did not succeed within 60 s');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log('HEALTHCHECK passed');
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`SIGTERM: exit code ${code}, expected 0`);
}

main().catch((error) => {
  console.error(`dockerfile-check: FAILED: ${error.message}`);
  process.exit(1);
});
