import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('the logger', () => {
  it('writes one JSON object per line with time, level, event and fields', () => {
    const lines: string[] = [];
    createLogger({ sink: (line) => lines.push(line), fields: { service: 'server' } }).info(
      'session.created',
      { jti: 'sess_1' },
    );
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      event: 'session.created',
      service: 'server',
      jti: 'sess_1',
    });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (line) => lines.push(line) });
    logger.info('quiet');
    logger.child({ a: 1 }).error('loud');
    expect(lines.map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(['loud']);
  });
});

describe('redact, the safety net under every log line', () => {
  it('replaces values under secret names, however nested', () => {
    expect(
      redact({
        access_token: 'a',
        nested: { Authorization: 'Bearer x', list: [{ code: 'c', state: 's' }] },
        status: 200,
      }),
    ).toEqual({
      access_token: '[redacted]',
      nested: { Authorization: '[redacted]', list: [{ code: '[redacted]', state: '[redacted]' }] },
      status: 200,
    });
  });

  it('replaces anything shaped like a JWT inside strings', () => {
    expect(redact(`token ${JWT} here`)).toBe('token [redacted] here');
  });

  it('reduces errors to name, message and error code, without causes', () => {
    const error = Object.assign(new Error(`bad ${JWT}`, { cause: { refresh_token: 'r' } }), {
      code: 'E1',
    });
    expect(redact(error)).toEqual({ name: 'Error', message: 'bad [redacted]', error_code: 'E1' });
  });
});
