import { BlockList, isIP } from 'node:net';
import { Router, type Request } from 'express';
import type { MetricsConfig } from '../../config/types';
import { isAnonymous } from '../../auth/principal';
import { forbidden, unauthorized } from '../errors';
import { methodNotAllowed } from './method-not-allowed';

export interface MetricsExposition {
  text(): Promise<string>;
  contentType: string;
}

/** The allow-list of client addresses and CIDR ranges, as a node:net BlockList. */
function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** A client address as BlockList checks it: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as IPv4. */
function clientAddress(req: Request): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const ip = req.ip;
  if (ip === undefined) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  const version = isIP(ip);
  return version === 0 ? undefined : { address: ip, family: version === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * GET /_metrics/ in Prometheus text format: the one response that is not TAXII. Served to client
 * addresses in `metrics.allow_addresses` (after `server.trust_proxy`), or to the users in
 * `metrics.users` with their credentials; anyone else gets 401 (anonymous) or 403.
 */
export function metricsRouter(config: MetricsConfig, exposition: MetricsExposition): Router {
  const allowed = addressList(config.allow_addresses);
  const router = Router({ caseSensitive: true });
  router.route('/_metrics/').get(async (req, res) => {
    const client = clientAddress(req);
    const byAddress = client !== undefined && allowed.check(client.address, client.family);
    const byUser = !isAnonymous(req.principal) && config.users.includes(req.principal.user as string);
    if (!byAddress && !byUser) {
      if (isAnonymous(req.principal)) throw unauthorized('Metrics are served to allowed addresses, or to allowed users with their credentials.');
      throw forbidden('You may not read the metrics.');
    }
    const text = await exposition.text();
    res.status(200).setHeader('Content-Type', exposition.contentType).setHeader('Content-Length', Buffer.byteLength(text)).end(text);
  }).all(methodNotAllowed('GET, HEAD'));
  return router;
}
