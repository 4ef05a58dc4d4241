// The minimum work a Node 24 process does for a rollback plus wait, measured
// as a floor in the auto-rollback benchmark. It parses the kubeconfig, opens
// one TLS connection, reads the Deployment and its ReplicaSets, patches the
// template back to the previous revision and watches until the rollout
// finishes. It has no input parsing, verification, summary, outputs or error
// handling, so it only shows what the Node runtime costs against kubectl.
//
// Usage: KUBECONFIG_TEXT=<kubeconfig> NAMESPACE=<namespace> node bare-node-rollback.mjs
// The Deployment is "atom" with selector app=atom, and the kubeconfig's
// first user has a token.
import { createRequire } from 'node:module';

// Built-ins come from getBuiltinModule, as in the action bundles, so that
// node:https does not load undici (see scripts/build.mjs).
const https = process.getBuiltinModule('node:https');
const { load } = createRequire(import.meta.url)('js-yaml');

const kubeconfig = load(process.env.KUBECONFIG_TEXT);
const cluster = kubeconfig.clusters[0].cluster;
const token = kubeconfig.users[0].user.token;
const ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
const agent = new https.Agent({ keepAlive: true, ca });
const watchAgent = new https.Agent({ keepAlive: false, ca });
const base = `/apis/apps/v1/namespaces/${process.env.NAMESPACE}`;

function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json-patch+json' } : {}) };
    const request = https.request(cluster.server + path, { method, agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject);
    request.end(body ? JSON.stringify(body) : undefined);
  });
}

const revisionOf = (object) => Number(object.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

const deployment = await send('GET', `${base}/deployments/atom`);
const replicaSets = await send('GET', `${base}/replicasets?labelSelector=app%3Datom`);

const current = revisionOf(deployment);
const owned = replicaSets.items.filter((replicaSet) => replicaSet.metadata.ownerReferences?.some((owner) => owner.uid === deployment.metadata.uid));
const previous = owned.filter((replicaSet) => revisionOf(replicaSet) < current).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
const template = structuredClone(previous.spec.template);
delete template.metadata.labels['pod-template-hash'];

const patched = await send('PATCH', `${base}/deployments/atom`, [
  { op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata.resourceVersion },
  { op: 'replace', path: '/spec/template', value: template },
]);

const watchPath = `${base}/deployments?watch=true&fieldSelector=metadata.name%3Datom&resourceVersion=${patched.metadata.resourceVersion}`;
https.get(cluster.server + watchPath, { agent: watchAgent, headers: { authorization: `Bearer ${token}` } }, (response) => {
  let pending = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines.filter(Boolean)) {
      const object = JSON.parse(line).object;
      const status = object.status ?? {};
      const replicas = object.spec.replicas;
      const done = status.observedGeneration >= object.metadata.generation && status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas;
      if (done) {
        response.destroy();
        agent.destroy();
        watchAgent.destroy();
      }
    }
  });
});
