// Anchor for the connect flow: the least an OAuth client does with oauth4webapi. `POST
// /connect` makes state, nonce and a PKCE pair, keeps them in memory and redirects (303) to the
// authorization endpoint; `GET /callback` checks the answer, exchanges the code
// (client_secret_post) and validates the ID token. No session token, no store, no encryption.
import { Hono } from 'hono';
import * as oauth from 'oauth4webapi';
import { listenHono } from './listen.js';

const issuer = new URL(process.env.ISSUER!);
const client: oauth.Client = { client_id: process.env.CLIENT_ID! };
const clientAuth = oauth.ClientSecretPost(process.env.CLIENT_SECRET!);
const redirectUri = process.env.REDIRECT_URI!;
// Loopback emulator only: the bench never points this at a real PingOne.
const insecure = { [oauth.allowInsecureRequests]: true };
const as = await oauth.processDiscoveryResponse(
  issuer,
  await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }),
);

const pending = new Map<string, { verifier: string; nonce: string }>();

const app = new Hono();
app.post('/connect', async (c) => {
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const verifier = oauth.generateRandomCodeVerifier();
  pending.set(state, { verifier, nonce });
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: process.env.SCOPE ?? 'openid',
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return c.redirect(url.toString(), 303);
});
app.get('/callback', async (c) => {
  const current = new URL(c.req.url);
  const state = current.searchParams.get('state') ?? '';
  const attempt = pending.get(state);
  if (!attempt) return c.text('unknown state', 400);
  pending.delete(state);
  const params = oauth.validateAuthResponse(as, client, current, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    redirectUri,
    attempt.verifier,
    insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: attempt.nonce,
    requireIdToken: true,
  });
  return c.html(`<p>connected ${oauth.getValidatedIdTokenClaims(tokens)?.sub ?? ''}</p>`);
});
listenHono('oauth4webapi client anchor', app);
