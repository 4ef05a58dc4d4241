import { textResponse, type Handler } from './http.ts';
import { validateSlackMessage } from './slack-validation.ts';

/**
 * Builds the Slack incoming webhook handler: `ok` for a valid message, else
 * HTTP 400 with Slack's error code as plain text (`invalid_payload`,
 * `no_text`, `invalid_blocks`, `msg_too_long`).
 */
export function createSlackWebhookHandler(): Handler {
  return (request) => {
    if (request.method !== 'POST') return textResponse(405, 'invalid_method');
    if (request.json === undefined) return textResponse(400, 'invalid_payload');

    const error = validateSlackMessage(request.json);
    return error ? textResponse(400, error) : textResponse(200, 'ok');
  };
}
