import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';
import { eventNames, type EventName } from '@atom-actions/shared/notify/events';
import { hasChannel, notifySecrets, readNotifyInputs, type NotifySettings } from '@atom-actions/shared/notify/settings';
import { registerSecret } from '@atom-actions/shared/secrets';

/** The notify action's inputs, parsed and validated: the event and every channel. */
export interface ActionSettings {
  event: EventName;
  notify: NotifySettings;
}

/**
 * Reads and validates every input of the action and masks its secrets.
 * Fails when no channel is configured, because a notice that goes nowhere
 * is a configuration mistake.
 */
export function readSettings(inputs: InputReader = new InputReader()): ActionSettings {
  const event = inputs.choice<EventName>('event', eventNames, { required: true });
  const notify = readNotifyInputs(inputs);
  for (const secret of notifySecrets(notify)) registerSecret(secret);

  if (!hasChannel(notify)) {
    throw new ConfigurationError(
      'No channel is configured: set at least one of slack-webhook-url, slack-token with slack-channel, github-token, pagerduty-routing-key, teams-webhook-url or webhook-url.',
    );
  }
  return { event, notify };
}
