import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, test } from '@jest/globals';

import { HttpRequestError, sendRequest } from '@atom-actions/shared/http';
import { clearSecretsForTests, registerSecret } from '@atom-actions/shared/secrets';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, count: number) => void;

const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; count: () => number }> {
  let count = 0;
  const server = http.createServer((request, response) => handler(request, response, ++count));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/path`, count: () => count };
}

const fastBackoff = { initialDelayMs: 10, maxDelayMs: 20, multiplier: 2 };

afterEach(async () => {
  clearSecretsForTests();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('sendRequest', () => {
  test('retries 503 for GET', async () => {
    const server = await serve((_request, response, count) => {
      response.statusCode = count < 3 ? 503 : 200;
      response.end(count < 3 ? 'busy' : 'ok');
    });
    const lines: string[] = [];

    const response = await sendRequest({ url: server.url, attempts: 5, backoff: fastBackoff, log: (line) => lines.push(line) });

    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
    expect(response.attempts).toBe(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('HTTP 503; retry 1 of 4');
  });

  test('does not retry 500 for POST', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 500;
      response.end('boom');
    });

    const response = await sendRequest({ url: server.url, method: 'POST', body: '{}', attempts: 3, backoff: fastBackoff });

    expect(response.status).toBe(500);
    expect(server.count()).toBe(1);
  });

  test('retries 429 for POST and honours Retry-After', async () => {
    const server = await serve((_request, response, count) => {
      if (count === 1) {
        response.statusCode = 429;
        response.setHeader('Retry-After', '1');
      }
      response.end();
    });
    const started = Date.now();

    const response = await sendRequest({ url: server.url, method: 'POST', attempts: 2, backoff: fastBackoff });

    expect(response.status).toBe(200);
    expect(server.count()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('reads a wait from the body', async () => {
    const server = await serve((_request, response, count) => {
      response.statusCode = count === 1 ? 429 : 200;
      response.end(count === 1 ? '{"retry_after": 0.3}' : 'ok');
    });
    const lines: string[] = [];

    const response = await sendRequest({
      url: server.url,
      method: 'POST',
      attempts: 2,
      retryAfterFromBody: (received) => JSON.parse(received.body).retry_after * 1000,
      log: (line) => lines.push(line),
    });

    expect(response.status).toBe(200);
    expect(lines[0]).toContain('retry 1 of 1 in 300 ms');
  });

  test('stops when the wait is too long', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 429;
      response.setHeader('Retry-After', '120');
      response.end();
    });
    const lines: string[] = [];

    const response = await sendRequest({ url: server.url, attempts: 3, maxRetryWaitMs: 60_000, log: (line) => lines.push(line) });

    expect(response.status).toBe(429);
    expect(server.count()).toBe(1);
    expect(lines[0]).toContain('the server requests a wait of 120 s, over the 60 s limit, so no retry');
  });

  test('does not retry 404', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 404;
      response.end();
    });

    const response = await sendRequest({ url: server.url, attempts: 3, backoff: fastBackoff });

    expect(response.status).toBe(404);
    expect(server.count()).toBe(1);
  });

  test('classifies an attempt timeout', async () => {
    const server = await serve(() => {
      // Never answers: the attempt must time out.
    });

    const failure = await sendRequest({ url: server.url, timeoutMs: 200 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(HttpRequestError);
    expect((failure as HttpRequestError).kind).toBe('timeout');
  });

  test('classifies a refused connection', async () => {
    const server = await serve((_request, response) => response.end());
    const url = server.url;
    await Promise.all(servers.splice(0).map((closing) => new Promise((resolve) => closing.close(resolve))));

    const failure = await sendRequest({ url, attempts: 2, backoff: fastBackoff }).catch((error: unknown) => error);

    expect((failure as HttpRequestError).kind).toBe('connection-refused');
    expect((failure as HttpRequestError).attempts).toBe(2);
  });

  test('classifies a reset connection', async () => {
    const server = await serve((request) => request.socket.destroy());

    const failure = await sendRequest({ url: server.url, attempts: 2, backoff: fastBackoff }).catch((error: unknown) => error);

    expect((failure as HttpRequestError).kind).toBe('connection-reset');
    expect(server.count()).toBe(2);
  });

  test('stops retrying at the deadline', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 503;
      response.setHeader('Retry-After', '30');
      response.end();
    });

    const response = await sendRequest({ url: server.url, attempts: 5, deadline: Date.now() + 1000 });

    expect(response.status).toBe(503);
    expect(server.count()).toBe(1);
  });

  test('redacts secrets in retry logs', async () => {
    const server = await serve((_request, response, count) => {
      response.statusCode = count === 1 ? 503 : 200;
      response.end();
    });
    registerSecret('hunter2-token');
    const lines: string[] = [];

    await sendRequest({ url: `${server.url}?access_token=hunter2-token&page=1`, attempts: 2, backoff: fastBackoff, log: (line) => lines.push(line) });

    expect(lines.join('\n')).not.toContain('hunter2-token');
    expect(lines[0]).toContain('access_token=***');
    expect(lines[0]).toContain('page=1');
  });
});
