import type { Request, Response } from 'express';
import { TaxiiError } from './errors';

const tooLarge = (limit: number): TaxiiError =>
  new TaxiiError(413, 'Content too large', `The request body is larger than this API root's max_content_length of ${limit} bytes.`);

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is
 * refused before anything is read; an undeclared (chunked) body is counted as it arrives and
 * refused as soon as it passes the limit, so an oversized body is never buffered whole.
 */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    // Nothing is buffered; the rest of the body is drained and dropped, so the client can read the
    // 413 (closing the socket instead would make most clients fail with EPIPE before reading it).
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  // The client waits for 100 Continue before sending (see checkContinue in src/server.ts).
  if (/100-continue/i.test(req.headers.expect ?? '')) (req.res as Response | undefined)?.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined, body?: Buffer): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) reject(err);
      else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.resume();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(undefined, Buffer.concat(chunks, size)));
    req.once('error', (err) => finish(new TaxiiError(400, 'Bad request', `The request body could not be read: ${err.message}`)));
  });
}
