import type { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { secretKeyAuth } from '../middleware/secret-key-auth.js';
import type { ServerMetrics } from './metrics.js';

/**
 * `GET /metrics` (DESIGN §4.11), the Prometheus text format, behind `Authorization: Bearer
 * <METRICS_TOKEN>`: compared in constant time like a secret key, and a missing or wrong token
 * answers `401 unauthorized` alike. Not mounted at all when `METRICS_TOKEN` is unset, so the
 * path is then an unknown one (404). It takes no input and is not in the OpenAPI document,
 * which describes the integrator's API.
 */
export function mountMetrics(app: Hono<AppEnv>, metrics: ServerMetrics, token: string): void {
  const auth = secretKeyAuth([token], 'A valid metrics token is required.');
  app.get('/metrics', auth, async (c) => {
    let exposition;
    try {
      exposition = await metrics.exposition();
    } catch (cause) {
      // The gauges read the store at scrape time.
      throw new ApiError('internal_error', 'The store does not answer.', { cause });
    }
    return c.body(exposition.text, 200, {
      'content-type': exposition.contentType,
      'cache-control': 'no-store',
    });
  });
}
