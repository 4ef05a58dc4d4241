/** The names accepted by the `preset` input. */
export const presetNames = ['atom'] as const;

/** A preset name. */
export type PresetName = (typeof presetNames)[number];

const bearer = { Authorization: { value: 'Bearer {{ access_token }}', secret: true } };

/**
 * The runbook's smoke test for the atom service, in the same form as the
 * `checks` input: the three health endpoints, a token login with the
 * `username` and `password` inputs, then three authenticated API calls that
 * use the captured `access_token`.
 */
const atomChecks: readonly Record<string, unknown>[] = [
  { name: 'health live', path: '/health/live', expect: { status: 200, json: { '$.status': 'healthy' } } },
  { name: 'health ready', path: '/health/ready', expect: { status: 200, json: { '$.status': 'ready' } } },
  { name: 'health db', path: '/health/db', expect: { status: 200, json: { '$.status': 'healthy' } } },
  {
    name: 'token login',
    method: 'POST',
    path: '/api/token',
    form: { username: '{{ username }}', password: '{{ password }}' },
    expect: { status: 200, json: { '$.access_token': { type: 'string', length: { gte: 1 } } } },
    capture: { access_token: '$.access_token' },
  },
  {
    name: 'agent execute',
    method: 'POST',
    path: '/api/agents/execute',
    headers: bearer,
    json: { agent_id: 'test-agent', query: 'hello' },
    expect: { status: 200, json: { '$.execution_id': { exists: true } } },
  },
  {
    name: 'canvas present',
    method: 'POST',
    path: '/api/canvas/present',
    headers: bearer,
    json: { canvas_type: 'generic', content: 'test' },
    expect: { status: 200, json: { '$.canvas_id': { exists: true } } },
  },
  { name: 'skills list', path: '/api/skills', headers: bearer, expect: { status: 200, json: { $: { type: 'array' } } } },
];

/** Returns the raw check definitions of a preset, to be parsed like the `checks` input. */
export function presetChecks(name: PresetName): readonly Record<string, unknown>[] {
  switch (name) {
    case 'atom':
      return atomChecks;
  }
}

