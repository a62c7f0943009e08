/**
 * The console's static files: its stylesheet, script and icon, and Chart.js's UMD build read from
 * the installed package (never a CDN: the console works on closed networks and the CSP allows only
 * this origin). URLs carry a digest of the content, so browsers may keep them for a year and an
 * upgrade still reaches them at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { ICON_SVG } from './icon';
import { SCRIPT } from './script';
import { STYLESHEET } from './stylesheet';

interface Asset {
  body: Buffer;
  type: string;
  digest: string;
}

export type AssetName = 'console.css' | 'console.js' | 'chart.umd.min.js' | 'icon.svg';

function asset(body: string | Buffer, type: string): Asset {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: bytes, type, digest: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}

/** Chart.js's UMD build, found beside the package's CommonJS entry point. */
function chartJs(): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
}

let loaded: Map<AssetName, Asset> | undefined;

/** Loaded once per process: the files never change while it runs, and a reload should not re-read them. */
function assets(): Map<AssetName, Asset> {
  loaded ??= new Map<AssetName, Asset>([
    ['console.css', asset(STYLESHEET, 'text/css; charset=utf-8')],
    ['console.js', asset(SCRIPT, 'text/javascript; charset=utf-8')],
    ['chart.umd.min.js', asset(chartJs(), 'text/javascript; charset=utf-8')],
    ['icon.svg', asset(ICON_SVG, 'image/svg+xml')],
  ]);
  return loaded;
}

/** The path of an asset below the console's base path. */
export function assetPath(base: string, name: AssetName): string {
  return `${base}/static/${name}?v=${(assets().get(name) as Asset).digest}`;
}

export function assetsRouter(): Router {
  const router = Router();
  router.get('/static/:name', (req, res, next) => {
    const found = assets().get(req.params.name as AssetName);
    if (!found) return next();
    // Only the URL the pages link to may be cached for long; others may be out of date.
    res.setHeader('Cache-Control', req.query.v === found.digest ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('Content-Type', found.type);
    res.setHeader('Content-Length', found.body.length);
    res.end(req.method === 'HEAD' ? undefined : found.body);
  });
  return router;
}
