import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import {
  listWebhookDeliveriesQuery,
  redeliverParams,
  webhookDeliveryList,
  webhookEventState,
} from '../schemas.js';
import { listDeliveries, redeliver } from './deliveries.js';

/** The webhook delivery log and redelivery (DESIGN §4.7), for the integrator's backend. */
export const webhookRoutes = [
  route({
    method: 'get',
    path: '/webhooks/deliveries',
    summary:
      'Every webhook delivery attempt, newest first: outcome, status, duration and the next try.',
    security: 'secretKey',
    query: listWebhookDeliveriesQuery,
    answers: {
      200: { description: 'One page of delivery attempts.', schema: webhookDeliveryList },
      400: failure('invalid_request: a bad filter, limit or cursor.'),
      401: failure('unauthorized'),
    },
    handler:
      (services) =>
      async (c, { query }) =>
        c.json(await listDeliveries(services, query)),
  }),
  route({
    method: 'post',
    path: '/webhooks/deliveries/:id/redeliver',
    summary:
      'Sends a webhook event again, with the same webhook-id, whether it was delivered, given up or pending.',
    security: 'secretKey',
    params: redeliverParams,
    answers: {
      202: { description: 'The event, queued and due now.', schema: webhookEventState },
      400: failure('invalid_request: a malformed id, or one that names no event.'),
      401: failure('unauthorized'),
    },
    handler:
      (services) =>
      async (c, { params }) =>
        c.json(await redeliver(services, params.id), 202),
  }),
];
