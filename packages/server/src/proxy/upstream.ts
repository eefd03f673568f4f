import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';

/** One call the proxy makes to PingOne: headers already filtered and the token set. */
export interface UpstreamRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | undefined;
  /** Ends the call, its answer's body included: the deadline passed or the caller left. */
  readonly signal: AbortSignal;
}

/** PingOne's answer. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Headers;
  /**
   * Null when the answer has no body (HEAD, 204, 304…); whole when it was small (see
   * {@link WHOLE_BODY_BYTES}); else a stream, not yet read.
   */
  readonly body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer> | null;
}

/**
 * An answer of a declared length up to this, not encoded, is read whole before it is passed
 * on: most PingOne answers are a small JSON document, and a whole body goes out with its
 * headers in one write, where a stream costs a write for the headers, one per chunk and one
 * for the end, and the web stream's promises between them. Longer answers, and those of
 * unknown length, still stream.
 */
export const WHOLE_BODY_BYTES = 16 * 1024;

/** Lets go of an answer that is not passed on (a 401 or 429 about to be retried). */
export async function discard(answer: UpstreamAnswer): Promise<void> {
  if (answer.body instanceof ReadableStream) await answer.body.cancel();
}

/**
 * Makes one call to PingOne. Redirects come back as answers, never followed: following one
 * could carry the token to wherever PingOne (or something pretending to be it) points.
 * Rejects when PingOne cannot be reached or the signal aborts.
 */
export type Upstream = (call: UpstreamRequest) => Promise<UpstreamAnswer>;

/** The statuses whose answers have no body, as for `fetch`. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The decoders of the content codings `fetch` decodes. */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The body with its content codings undone, as `fetch` hands it over (the caller then gets
 * no `Content-Encoding` or `Content-Length`, see `callerResponseHeaders`). A coding it does
 * not know leaves the body as it came, as with `fetch`.
 */
function decoded(body: Readable, contentEncoding: string | null): Readable {
  if (!contentEncoding) return body;
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim());
  const decoders = codings.reverse().map((coding) => DECODERS[coding]);
  if (decoders.length === 0 || decoders.some((decoder) => !decoder)) return body;
  const streams = decoders.map((decoder) => decoder!());
  // Errors reach the last stream, whose reader sees them; the callback has nothing to add.
  return pipeline([body, ...streams], () => {}) as unknown as Readable;
}

/**
 * The default upstream: `undici.request` over a keep-alive agent. `fetch` (undici's too) costs
 * far more per call, in its Request and Response objects, web streams and signal plumbing.
 * Like `fetch`, it asks for compressed answers and decodes them.
 */
export function undiciUpstream(dispatcher: Dispatcher = new Agent()): Upstream {
  return async (call) => {
    // Name, value, name, value…: no header name can touch an object's prototype.
    const headers = ['accept-encoding', 'gzip, deflate, br'];
    for (const [name, value] of call.headers) headers.push(name, value);
    const answer = await request(call.url, {
      method: call.method as Dispatcher.HttpMethod,
      headers,
      body: call.body,
      signal: call.signal,
      dispatcher,
    });
    const answerHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) answerHeaders.append(name, item);
      else if (value !== undefined) answerHeaders.append(name, value);
    }
    if (call.method === 'HEAD' || NULL_BODY_STATUSES.has(answer.statusCode)) {
      // Read to its (empty) end, which leaves the connection to the agent for the next call.
      await answer.body.dump();
      return { status: answer.statusCode, headers: answerHeaders, body: null };
    }
    const encoding = answerHeaders.get('content-encoding');
    const length = answerHeaders.get('content-length');
    if (!encoding && length !== null && Number(length) <= WHOLE_BODY_BYTES) {
      const whole = new Uint8Array(await answer.body.arrayBuffer());
      return { status: answer.statusCode, headers: answerHeaders, body: whole };
    }
    const body = decoded(answer.body, encoding);
    return { status: answer.statusCode, headers: answerHeaders, body: webStream(body) };
  };
}

/**
 * A Node stream as a web stream, one chunk per pull: the answer streams to the caller as it
 * arrives, and cancelling (the caller left) destroys the call.
 */
function webStream(body: Readable): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      // Nobody reads on: the error a destroyed body emits has no one to go to either.
      body.on('error', () => {});
      body.destroy();
    },
  });
}

/** An upstream over a `fetch` function: `AppOptions.fetch` (an egress proxy, instrumentation). */
export function fetchUpstream(fetchFn: typeof fetch): Upstream {
  return async (call) => {
    const response = await fetchFn(call.url, {
      method: call.method,
      headers: call.headers,
      ...(call.body ? { body: call.body } : {}),
      redirect: 'manual',
      signal: call.signal,
    });
    return { status: response.status, headers: response.headers, body: response.body };
  };
}
