import { gatewayApiRouter } from './gateway-api.ts';
import { nginxRouter } from './nginx.ts';
import { replicasRouter } from './replicas.ts';
import type { RouterContext, TrafficRouter } from './router.ts';
import { smiRouter } from './smi.ts';

/** Creates the traffic router that the `traffic-router` input names. */
export function createRouter(context: RouterContext): TrafficRouter {
  switch (context.settings.trafficRouter) {
    case 'replicas':
      return replicasRouter(context);
    case 'nginx':
      return nginxRouter(context);
    case 'gateway-api':
      return gatewayApiRouter(context);
    case 'smi':
      return smiRouter(context);
  }
}
