import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { InteractionResults } from 'oidc-provider';
import type { Directory } from './accounts.js';
import { AUTHENTICATION_METHODS, SIGN_ON_POLICY } from './defaults.js';
import { withCorrelationId } from './correlation-id.js';
import { consentPage, errorPage, signedOffPage, signOnPage, type Page } from './pages.js';
import type { Provider } from './quiet-oidc-provider.js';
import type { EmulatorFaults } from './types.js';

type Env = { Bindings: HttpBindings };
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface SignOnInput {
  provider: Provider;
  directory: Directory;
  faults: EmulatorFaults;
  autoApprove: boolean;
}

/** What oidc-provider lists as still missing when it asks for consent. */
interface MissingGrants {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/** The posted form; empty when the body is not a readable form, which then fails like a blank one. */
async function formOf(c: Context<Env>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

function respond(c: Context<Env>, page: Page, status: 200 | 400 | 401 = 200): Response {
  return c.body(page.body, status, page.headers);
}

/** A password sign-on under PingOne's `Single_Factor` policy: the ID token's `acr` and `amr`. */
function signedOn(accountId: string): NonNullable<InteractionResults['login']> {
  return { accountId, acr: SIGN_ON_POLICY, amr: [...AUTHENTICATION_METHODS] };
}

/** The emulator's sign-on and consent pages, mounted at `/{environmentId}/signon/:uid`. */
export function signOnRoutes({ provider, directory, faults, autoApprove }: SignOnInput): Hono<Env> {
  const app = new Hono<Env>();

  /** The interaction this browser is in, or undefined when its cookie is missing, stale or for another uid. */
  async function interactionOf(c: Context<Env>): Promise<Interaction | undefined> {
    try {
      const interaction = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
      return interaction.uid === c.req.param('uid') ? interaction : undefined;
    } catch {
      return undefined;
    }
  }

  async function expired(c: Context<Env>): Promise<Response> {
    const description = withCorrelationId(
      'This sign-on request has expired or was opened in another browser. Start again from the application.',
    );
    return respond(c, await errorPage('invalid_request', description), 400);
  }

  /** Read on every page: tests switch the fault on and off while the emulator runs. */
  function pageOptions() {
    return { coop: faults.coopOnSignIn };
  }

  /** Hands the result to oidc-provider and follows it back to the authorization endpoint. */
  async function finish(
    c: Context<Env>,
    result: InteractionResults | undefined,
    merge = true,
  ): Promise<Response> {
    if (!result) return expired(c);
    const returnTo = await provider.interactionResult(c.env.incoming, c.env.outgoing, result, {
      mergeWithLastSubmission: merge,
    });
    return c.redirect(returnTo, 303);
  }

  /**
   * Grants what the consent prompt found missing, on the existing grant when there is one.
   * @returns the consent result, or undefined when that grant has expired meanwhile
   */
  async function grantRequested(interaction: Interaction): Promise<InteractionResults | undefined> {
    const accountId = interaction.session?.accountId;
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    if (!grant) return undefined;
    const missing = interaction.prompt.details as MissingGrants;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    return { consent: { grantId: await grant.save() } };
  }

  /** With `autoApprove`, the user named by `login_hint`; otherwise undefined. */
  function hintedUser(interaction: Interaction) {
    const hint = interaction.params.login_hint;
    return autoApprove && typeof hint === 'string' ? directory.byUsername(hint) : undefined;
  }

  function renderSignOn(
    c: Context<Env>,
    interaction: Interaction,
    input: { username?: string; error?: string } = {},
  ) {
    return signOnPage(
      {
        action: `${c.req.path.replace(/\/login$/, '')}/login`,
        clientName: String(interaction.params.client_id),
        username: input.username ?? (interaction.params.login_hint as string | undefined),
        error: input.error,
      },
      pageOptions(),
    );
  }

  // Where signoff sends a browser that named no post-logout redirect URI: PingOne's signed-out
  // page takes the environment id as a query parameter.
  app.get('/signed-out', async (c) => respond(c, await signedOffPage()));

  app.get('/:uid', async (c) => {
    const interaction = await interactionOf(c);
    if (!interaction) return expired(c);
    const hinted = hintedUser(interaction);
    if (interaction.prompt.name === 'login') {
      if (hinted) return finish(c, { login: signedOn(hinted.id) });
      return respond(c, await renderSignOn(c, interaction));
    }
    const user = directory.byId(interaction.session?.accountId ?? '');
    if (!user) return expired(c);
    if (hinted?.id === user.id) return finish(c, await grantRequested(interaction));
    const page = await consentPage(
      {
        action: `${c.req.path}/consent`,
        clientName: String(interaction.params.client_id),
        username: user.username,
        scopes: String(interaction.params.scope ?? '')
          .split(' ')
          .filter(Boolean),
      },
      pageOptions(),
    );
    return respond(c, page);
  });

  app.post('/:uid/login', async (c) => {
    const interaction = await interactionOf(c);
    if (!interaction || interaction.prompt.name !== 'login') return expired(c);
    const form = await formOf(c);
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const user = directory.authenticate(username, password);
    if (!user) {
      const page = await renderSignOn(c, interaction, {
        username,
        error: 'Incorrect username or password.',
      });
      return respond(c, page, 401);
    }
    return finish(c, { login: signedOn(user.id) });
  });

  app.post('/:uid/consent', async (c) => {
    const interaction = await interactionOf(c);
    if (!interaction || interaction.prompt.name !== 'consent') return expired(c);
    const { decision } = await formOf(c);
    if (decision === 'allow') return finish(c, await grantRequested(interaction));
    if (decision === 'deny') {
      return finish(
        c,
        { error: 'access_denied', error_description: 'The user denied consent.' },
        false,
      );
    }
    return respond(
      c,
      await errorPage('invalid_request', withCorrelationId('Choose Allow or Deny.')),
      400,
    );
  });

  return app;
}
