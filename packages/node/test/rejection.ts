// What a call rejects with, for tests that look at errors closely.
import { expect } from 'vitest';
import { PingOneConnectError } from '../src/errors.js';

/** The reason `call` rejects with; throws if it resolves. */
export async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value: unknown) => {
      // The status only: a resolved value may hold credentials, which a test log must not show.
      const status = (value as { status?: unknown } | undefined)?.status;
      throw new Error(
        typeof status === 'number' ? `the call succeeded with ${status}` : 'the call succeeded',
      );
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
