import { behaviorOf } from './behavior.ts';
import { ApiError, badRequest } from './errors.ts';
import { parseTime } from './time.ts';
import type { ContainerStatus, KubeObject } from './types.ts';

/**
 * Renders the `/log` of a pod container from the pod's
 * `sim.atom-actions.io/log` annotation. `{pod}`, `{container}` and
 * `{image}` in a line are replaced. Each line is stamped one millisecond
 * after the container instance started, which `sinceSeconds`, `sinceTime`
 * and `timestamps` use; `tailLines` and `limitBytes` cut the output. A
 * crash-looping container serves the lines of its last terminated
 * instance, as the kubelet does.
 */
export function renderPodLog(pod: KubeObject, query: URLSearchParams): string {
  const containerName = chooseContainer(pod, query.get('container'));
  const status: ContainerStatus | undefined = (pod.status?.containerStatuses ?? []).find((entry: ContainerStatus) => entry.name === containerName);
  const startedAt = instanceStart(pod, containerName, status, query.get('previous') === 'true');

  const image = status?.image ?? '';
  const annotations = pod.metadata.annotations;
  let lines = behaviorOf(annotations).logLines.map((text, index) => ({
    time: startedAt + index,
    text: text.replaceAll('{pod}', pod.metadata.name ?? '').replaceAll('{container}', containerName).replaceAll('{image}', image),
  }));

  const sinceSeconds = query.get('sinceSeconds');
  if (sinceSeconds !== null) lines = lines.filter((line) => line.time >= Date.now() - Number(sinceSeconds) * 1000);
  const sinceTime = parseTime(query.get('sinceTime'));
  if (sinceTime !== undefined) lines = lines.filter((line) => line.time >= sinceTime);
  const tailLines = query.get('tailLines');
  if (tailLines !== null) lines = Number(tailLines) <= 0 ? [] : lines.slice(-Number(tailLines));

  const withTimestamps = query.get('timestamps') === 'true';
  let output = lines.map((line) => `${withTimestamps ? `${new Date(line.time).toISOString()} ` : ''}${line.text}\n`).join('');
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null) output = Buffer.from(output).subarray(0, Number(limitBytes)).toString('utf8');
  return output;
}

function chooseContainer(pod: KubeObject, requested: string | null): string {
  const names: string[] = (pod.spec?.containers ?? []).map((container: { name: string }) => container.name);
  const podName = pod.metadata.name ?? '';
  if (requested) {
    if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (preferred && names.includes(preferred)) return preferred;
  if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
  return names[0]!;
}

function instanceStart(pod: KubeObject, container: string, status: ContainerStatus | undefined, previous: boolean): number {
  const running = status?.state?.running as { startedAt?: string } | undefined;
  const lastTerminated = status?.lastState?.terminated as { startedAt?: string } | undefined;
  const terminated = status?.state?.terminated as { startedAt?: string } | undefined;

  if (previous) {
    const started = parseTime(lastTerminated?.startedAt);
    if (started === undefined) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    return started;
  }
  const started = parseTime(running?.startedAt) ?? parseTime(terminated?.startedAt) ?? parseTime(lastTerminated?.startedAt);
  if (started === undefined) {
    const waiting = (status?.state?.waiting as { reason?: string } | undefined)?.reason ?? 'ContainerCreating';
    throw new ApiError(400, 'BadRequest', `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
  }
  return started;
}
