import { linkPage } from '../openapi-answers.js';
import { BindingCookie } from '../oauth/binding-cookie.js';
import { route } from '../routes.js';
import { linkParams } from '../schemas.js';
import { linkConnectHandler, linkPageHandler } from './open.js';

/** The hosted connect page of a connect link (DESIGN §4.9): the link itself authorizes. */
export const linkRoutes = [
  route({
    method: 'get',
    path: '/connect/links/:link',
    summary: 'The hosted connect page of a connect link.',
    security: 'none',
    params: linkParams,
    readsOwnInput: true,
    answers: {
      200: linkPage('The page with its Connect button.'),
      404: linkPage('No such link.'),
      410: linkPage('The link expired, was used, or was revoked with its session.'),
      429: linkPage('rate_limited'),
    },
    handler: (services) => linkPageHandler(services),
  }),
  route({
    method: 'post',
    path: '/connect/links/:link',
    summary: 'The Connect button of the hosted page: uses the link and starts the flow.',
    security: 'none',
    params: linkParams,
    readsOwnInput: true,
    answers: {
      303: { description: 'To PingOne’s authorize endpoint; sets the browser-binding cookie.' },
      403: linkPage('forbidden_origin: posted from another site'),
      404: linkPage('No such link.'),
      410: linkPage('The link expired, was used, or was revoked with its session.'),
      429: linkPage('rate_limited'),
      503: linkPage('provider_unavailable'),
    },
    handler: (services) =>
      linkConnectHandler(services, new BindingCookie(services.config.publicUrl)),
  }),
];
