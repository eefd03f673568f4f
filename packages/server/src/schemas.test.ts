import type * as protocol from '@pingone-connect/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  attemptStatus,
  connectionDetail,
  connectionList,
  connectionSummary,
  createSessionResponse,
  createdIntegration,
  credentials,
  deletedConnection,
  errorResponse,
  integrationList,
  integrationView,
  preflightResult,
  updatedIntegration,
  webhookEvent,
  logEntry,
  logList,
  webhookDelivery,
  webhookDeliveryList,
  webhookEventState,
} from './schemas.js';

// Type assertions, checked when the tests compile (`pnpm build`). `satisfies` in schemas.ts
// stops a schema that allows what the contract does not; these stop the other drift too: a
// field the contract has and the schema does not document, or the other way round.
describe('the answer schemas and the protocol types', () => {
  it('describe a connection alike, listed and read', () => {
    expectTypeOf<z.output<typeof connectionSummary>>().toEqualTypeOf<protocol.ConnectionSummary>();
    expectTypeOf<z.output<typeof credentials>>().toEqualTypeOf<protocol.Credentials>();
    expectTypeOf<z.output<typeof connectionDetail>>().toEqualTypeOf<protocol.Connection>();
    expectTypeOf<z.output<typeof connectionList>>().toEqualTypeOf<
      protocol.Page<protocol.ConnectionSummary>
    >();
    expectTypeOf<z.output<typeof deletedConnection>>().toEqualTypeOf<protocol.DeletedConnection>();
  });

  it('describe a webhook alike', () => {
    expectTypeOf<z.output<typeof webhookEvent>>().toEqualTypeOf<protocol.WebhookEvent>();
  });

  it('describe a webhook delivery and a queued event alike', () => {
    expectTypeOf<z.output<typeof webhookDelivery>>().toEqualTypeOf<protocol.WebhookDelivery>();
    expectTypeOf<z.output<typeof webhookDeliveryList>>().toEqualTypeOf<
      protocol.Page<protocol.WebhookDelivery>
    >();
    expectTypeOf<z.output<typeof webhookEventState>>().toEqualTypeOf<protocol.WebhookEventState>();
  });

  it('describe a connect session, an attempt status and an error alike', () => {
    expectTypeOf<z.output<typeof createSessionResponse>>().toEqualTypeOf<protocol.ConnectSession>();
    expectTypeOf<z.output<typeof attemptStatus>>().toEqualTypeOf<protocol.AttemptStatus>();
    expectTypeOf<z.output<typeof errorResponse>>().toEqualTypeOf<protocol.ErrorResponse>();
  });

  it('describe an integration and its preflight alike, never with a client secret', () => {
    expectTypeOf<z.output<typeof integrationView>>().toEqualTypeOf<protocol.Integration>();
    expectTypeOf<
      z.output<typeof createdIntegration>
    >().toEqualTypeOf<protocol.CreatedIntegration>();
    expectTypeOf<
      z.output<typeof updatedIntegration>
    >().toEqualTypeOf<protocol.UpdatedIntegration>();
    expectTypeOf<z.output<typeof preflightResult>>().toEqualTypeOf<protocol.PreflightResult>();
    expectTypeOf<z.output<typeof integrationList>>().toEqualTypeOf<
      protocol.Page<protocol.Integration>
    >();
    expectTypeOf<z.output<typeof integrationView>>().not.toHaveProperty('client_secret');
  });

  it('describe a log entry alike, but for the levels the contract leaves open', () => {
    type Entry = z.output<typeof logEntry>;
    expectTypeOf<Omit<Entry, 'level'>>().toEqualTypeOf<Omit<protocol.LogEntry, 'level'>>();
    expectTypeOf<Entry['level']>().toEqualTypeOf<protocol.LogLevel>();
    expectTypeOf<z.output<typeof logList>['data']>().toEqualTypeOf<Entry[]>();
    expectTypeOf<Omit<z.output<typeof logList>, 'data'>>().toEqualTypeOf<
      Omit<protocol.Page<protocol.LogEntry>, 'data'>
    >();
  });
});
