/**
 * Scenarios 4 and 5: many keep-alive connections repeating one GET (autocannon, in the harness's
 * process on the client core). Requests per second is completed requests over the run's duration;
 * latencies are autocannon's histogram percentiles. Non-2xx answers and socket errors are counted
 * and reported beside the figures, since a fast 429 or 500 would otherwise look like a good result.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

export async function load(baseUrl: string, path: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}${path}`,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    pipelining: 1,
    timeout: 30,
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
