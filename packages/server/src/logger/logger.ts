import { stdoutLines } from './line-batch.js';

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured fields of a log line. Values are redacted again before they are written. */
export type LogFields = Record<string, unknown>;

/** Receives each finished JSON line (without the newline). */
export type LogSink = (line: string) => void;

/** A structured logger writing one JSON object per line. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Where lines go. Default: standard output, the lines of one event-loop turn in one write. */
  sink?: LogSink;
  /** Fields on every line. */
  fields?: LogFields;
  /** Milliseconds since the epoch, for each line's `time`. Default `Date.now`. */
  clock?: () => number;
}

// Names whose values are secrets whatever they hold. Callers never pass these; this is the net
// under them, so that a future field cannot leak a token by accident.
const SECRET_KEYS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'session_token',
  'code',
  'code_verifier',
  'verifier',
  'client_secret',
  'client_assertion',
  'private_key_jwk',
  'secret',
  'password',
  'authorization',
  'cookie',
  'set-cookie',
  'state',
  'nonce',
  'credentials',
]);

// A compact JWS/JWE anywhere in a string: the shape of every token this server handles.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(\.[A-Za-z0-9_-]*){2,4}/g;
const REDACTED = '[redacted]';
const MAX_DEPTH = 6;

/**
 * A copy of `value` safe to log: values under secret-sounding keys and anything shaped like a
 * JWT are replaced by `[redacted]`; errors become `{name, message, error_code}`.
 */
export function redact(value: unknown, depth = 0): unknown {
  // Every JWT starts `eyJ`; most strings have none, and `includes` is far cheaper than the scan.
  if (typeof value === 'string')
    return value.includes('eyJ') ? value.replace(JWT_LIKE, REDACTED) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) {
    // `code` is reserved for the secret OAuth code, so an error's code is logged as `error_code`.
    const code = (value as { code?: unknown }).code;
    const fields = { name: value.name, message: value.message };
    return redact(code === undefined ? fields : { ...fields, error_code: code }, depth + 1);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return redactInto({}, value as Record<string, unknown>, depth);
}

/** Copies `source`'s fields into `out` as {@link redact} does those of an object at `depth`. */
function redactInto(
  out: Record<string, unknown>,
  source: Record<string, unknown>,
  depth: number,
): Record<string, unknown> {
  for (const [key, item] of Object.entries(source)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

/** Creates a {@link Logger}. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const sink = options.sink ?? stdoutLines();
  const clock = options.clock ?? Date.now;
  const make = (bound: LogFields): Logger => {
    const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
      if (RANK[level] < threshold) return;
      // Built once, in the order of the line: no merged copy of the fields to redact again.
      const line: LogFields = { time: new Date(clock()).toISOString(), level, event };
      sink(JSON.stringify(redactInto(redactInto(line, bound, 0), fields, 0)));
    };
    return {
      debug: (event, fields) => write('debug', event, fields),
      info: (event, fields) => write('info', event, fields),
      warn: (event, fields) => write('warn', event, fields),
      error: (event, fields) => write('error', event, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}
