import { createHmac, timingSafeEqual } from 'node:crypto';

import { jsonResponse, type Handler } from './http.ts';

/**
 * Builds the generic webhook handler. With a secret, the request must carry
 * `X-Atom-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the body, or it
 * gets 401. A repeated X-Atom-Delivery id gets 200 with `duplicate: true`.
 */
export function createWebhookHandler(secret: string | undefined, deliveries: Set<string>): Handler {
  return (request) => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method not allowed' });
    if (secret && !validSignature(secret, request.body, request.headers['x-atom-signature-256'])) {
      return jsonResponse(401, { error: 'invalid signature' });
    }
    if (request.json === undefined) return jsonResponse(400, { error: 'body is not JSON' });

    const id = request.headers['x-atom-delivery'];
    const duplicate = id !== undefined && deliveries.has(id);
    if (id) deliveries.add(id);
    return jsonResponse(200, { received: true, duplicate });
  };
}

function validSignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`);
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
