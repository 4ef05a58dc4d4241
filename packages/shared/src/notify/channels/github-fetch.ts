import { deliver } from '../delivery.ts';
import type { NotifyLog } from '../results.ts';
import type { DeliverySettings } from '../settings.ts';

/**
 * Builds a `fetch` for Octokit that sends through `deliver`, so GitHub
 * requests get the same timeouts, retries and redacted retry lines as the
 * other channels. POST is not retried on 5xx, because a repeated "create
 * issue" would open a second issue for the incident; GET, PATCH, PUT and
 * DELETE are.
 */
export function createGitHubFetch(delivery: DeliverySettings, log: NotifyLog): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === 'string' ? init.body : undefined;

    const response = await deliver(
      { url, method, headers, body },
      { delivery, log, label: `GitHub ${method} ${new URL(url).pathname}`, idempotent: method !== 'POST' },
    );

    const noBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(noBody ? null : response.body, { status: response.status, headers: response.headers });
  };
}
