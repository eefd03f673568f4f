import { popupPage } from '../openapi-answers.js';
import { route } from '../routes.js';
import { callbackQuery, connectForm, connectQuery } from '../schemas.js';
import { BindingCookie } from './binding-cookie.js';
import { callbackHandler } from './callback.js';
import { connectHandler } from './connect.js';

/**
 * The popup's pages. They read their own input: a bad request still gets the result page,
 * with the code the flow defines for it (`state_mismatch` for a callback without state).
 */
export const oauthRoutes = [
  route({
    method: 'post',
    path: '/oauth/connect',
    summary: 'Start the PingOne sign-in in the popup (form post from the element).',
    security: 'none',
    query: connectQuery,
    body: { schema: connectForm, form: true },
    readsOwnInput: true,
    answers: {
      303: { description: 'To PingOne’s authorize endpoint; sets the browser-binding cookie.' },
      400: popupPage,
      401: popupPage,
      403: popupPage,
      404: popupPage,
      409: popupPage,
      429: popupPage,
      503: popupPage,
    },
    handler: (services) => connectHandler(services, new BindingCookie(services.config.publicUrl)),
  }),
  route({
    method: 'get',
    path: '/oauth/callback',
    summary: 'PingOne’s redirect: finish the flow and post the result to the opener.',
    security: 'none',
    query: callbackQuery,
    readsOwnInput: true,
    answers: {
      200: { description: 'The result page (HTML) posting the success message.', html: true },
      400: popupPage,
      403: popupPage,
      404: popupPage,
      409: popupPage,
      429: popupPage,
      502: popupPage,
      503: popupPage,
    },
    handler: (services) => callbackHandler(services, new BindingCookie(services.config.publicUrl)),
  }),
];
