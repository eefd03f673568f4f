// What a call rejects with, for tests that look at errors closely.
import { expect } from 'vitest';
import { PingOneConnectError } from './errors.js';

/** The reason `call` rejects with; throws if it resolves. */
export async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (reason: unknown) => reason,
  );
}

/** The {@link PingOneConnectError} `call` rejects with; fails the test for anything else. */
export async function failure(call: Promise<unknown>): Promise<PingOneConnectError> {
  const error = await rejection(call);
  expect(error).toBeInstanceOf(PingOneConnectError);
  return error as PingOneConnectError;
}
