import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Fault, FaultState } from './faults.ts';

/** A request as a receiver recorded it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Body as text, decoded as UTF-8. */
  body: string;
  /** Body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Status of the receiver's response. */
  status: number;
  /** Fault injected instead of the normal response, if any. */
  fault?: Fault['kind'];
  /** ISO 8601 time of arrival. */
  receivedAt: string;
}

/** A receiver's response. */
export interface ReceiverResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A parsed incoming request handed to a receiver's handler. */
export interface IncomingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

/** Builds the response to one request. Each receiver implements one. */
export type Handler = (request: IncomingRequest) => ReceiverResponse | Promise<ReceiverResponse>;

/** A loopback HTTP server that records every request. */
export interface ReceiverServer {
  url: string;
  received: RecordedRequest[];
  faults: FaultState;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (port 0 picks a free port) that records each
 * request, responds with an injected fault while one is pending, and
 * otherwise calls the handler. `onRecord` receives each recorded request.
 */
export async function startReceiverServer(
  handler: Handler,
  faults: FaultState,
  options: { port?: number; onRecord?: (record: RecordedRequest) => void },
): Promise<ReceiverServer> {
  const received: RecordedRequest[] = [];

  const server = http.createServer((incoming, outgoing) => {
    void answer(incoming, outgoing);
  });

  async function answer(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
    const request = await readRequest(incoming);
    const fault = faults.take();
    let response: ReceiverResponse;
    try {
      response = fault ? faults.respond(fault) : await handler(request);
    } catch (error) {
      response = { status: 500, headers: { 'content-type': 'text/plain' }, body: `Receiver error: ${error instanceof Error ? error.message : String(error)}` };
    }

    const record: RecordedRequest = {
      method: request.method,
      url: `${request.url.pathname}${request.url.search}`,
      headers: request.headers,
      body: request.body,
      json: request.json,
      status: response.status,
      ...(fault ? { fault: fault.kind } : {}),
      receivedAt: new Date().toISOString(),
    };
    received.push(record);
    options.onRecord?.(record);

    outgoing.writeHead(response.status, response.headers ?? {});
    outgoing.end(response.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readRequest(incoming: http.IncomingMessage): Promise<IncomingRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }

  return { method: incoming.method ?? 'GET', url: new URL(incoming.url ?? '/', 'http://127.0.0.1'), headers, body, json: parseJson(body) };
}

/** Parses JSON, returning undefined for text that is not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Builds a JSON response. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ReceiverResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/** Builds a plain text response. */
export function textResponse(status: number, text: string): ReceiverResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}
