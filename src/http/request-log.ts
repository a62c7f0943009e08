import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type winston from 'winston';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request an id (a well-formed incoming X-Request-ID is kept, so a proxy's id follows
 * the request) and writes one access line when the response ends: method, path, status,
 * duration, user and request id. Never headers, never bodies.
 */
export function requestLog(logger: winston.Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-ID', req.requestId);
    // winston formats an entry before its level is filtered, so access lines cost only when wanted
    // (the level is read per request: a reload may change it).
    if (!logger.isLevelEnabled('http')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.http('request', {
        requestId: req.requestId,
        method: req.method,
        path: req.path.slice(0, 300),
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        user: req.principal?.user ?? null,
        keyId: req.principal?.keyId,
        ip: req.ip,
      });
    });
    next();
  };
}
