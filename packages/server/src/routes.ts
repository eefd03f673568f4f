import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Services } from './context.js';
import { validate } from './validation.js';

/** Who may call a route: the secret key, a connect session token, or anyone. */
export type Security = 'secretKey' | 'sessionToken' | 'none';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented answer of a route. */
export interface Answer {
  readonly description: string;
  /** JSON body; HTML and empty answers have none. */
  readonly schema?: z.ZodType;
  readonly html?: true;
}

/** A JSON or form body; `passthrough` for bodies of any type that go on to PingOne. */
export type Body<B extends z.ZodType = z.ZodType> =
  { readonly schema: B; readonly form?: true } | { readonly passthrough: true };

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler receives besides the context: its validated input. */
export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

export type RouteHandler<In> = (c: Context<AppEnv>, input: In) => Response | Promise<Response>;

/**
 * One route of the HTTP API, declared once: `mountRoutes` registers it on the app (security
 * first, so an unauthenticated caller learns nothing from validation, then the validators)
 * and `openApiDocument` describes it from the same fields.
 */
export interface Route<
  P extends z.ZodObject | undefined = z.ZodObject | undefined,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly method: Method;
  /** Hono-style path, e.g. `/connections/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly security: Security;
  readonly params?: P;
  readonly query?: Q;
  readonly headers?: z.ZodObject;
  readonly body?: Body<B extends z.ZodType ? B : z.ZodType>;
  /**
   * The handler reads and checks its own input, and the schemas above only document it: the
   * popup's routes must answer a bad request with their own page and code, the proxy reads
   * its body itself.
   */
  readonly readsOwnInput?: true;
  readonly answers: Readonly<Record<number, Answer>>;
  /** Built once per app from its services. */
  readonly handler: (
    services: Services,
  ) => RouteHandler<RouteInput<Output<P>, Output<Q>, Output<B>>>;
}

/** A route whose input types are no longer needed: the element type of a route table. */
export type AnyRoute = Route<
  z.ZodObject | undefined,
  z.ZodObject | undefined,
  z.ZodType | undefined
>;

/** Declares a route, inferring its handler's input from its schemas. */
export function route<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(declared: Route<P, Q, B>): AnyRoute {
  return declared as unknown as AnyRoute;
}

/** The middleware that enforces each kind of {@link Security}. */
export type SecurityMiddleware = Record<Exclude<Security, 'none'>, MiddlewareHandler>;

/** A group of routes as a Hono app of its own, for `app.route('/', …)`. */
export function mountRoutes(
  routes: readonly AnyRoute[],
  services: Services,
  security: SecurityMiddleware,
): Hono<AppEnv> {
  const group = new Hono<AppEnv>();
  for (const declared of routes) {
    const chain: MiddlewareHandler[] = [];
    if (declared.security !== 'none') chain.push(security[declared.security]);
    const body = declared.body && 'schema' in declared.body ? declared.body : undefined;
    if (!declared.readsOwnInput) {
      if (declared.params) chain.push(validate('param', declared.params));
      if (declared.query) chain.push(validate('query', declared.query));
      if (body) chain.push(validate(body.form ? 'form' : 'json', body.schema));
    }
    const handle = declared.handler(services);
    const valid = (c: Context<AppEnv>, target: 'param' | 'query' | 'json' | 'form') =>
      (c.req.valid as (target: string) => unknown)(target);
    const last: MiddlewareHandler<AppEnv> = async (c) =>
      handle(
        c,
        declared.readsOwnInput
          ? { params: undefined, query: undefined, body: undefined }
          : ({
              params: declared.params ? valid(c, 'param') : undefined,
              query: declared.query ? valid(c, 'query') : undefined,
              body: body ? valid(c, body.form ? 'form' : 'json') : undefined,
            } as never),
      );
    group.on(declared.method.toUpperCase(), [declared.path], ...chain, last);
  }
  return group;
}
