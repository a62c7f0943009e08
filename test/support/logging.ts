import { Writable } from 'node:stream';
import winston from 'winston';

/** A winston logger at every level whose JSON lines end up in `lines`, for tests of what is logged. */
export function capturingLogger(): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = winston.createLogger({ level: 'silly', format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] });
  return { logger, lines };
}
