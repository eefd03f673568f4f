import type { LogLevel } from '@pingone-connect/protocol';

/** A row of the operations log. Never carries a secret. */
export interface LogEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly level: LogLevel;
  readonly event: string;
  readonly message: string;
  readonly integrationId?: string | null;
  readonly endUserId?: string | null;
  readonly connectionId?: string | null;
  readonly attemptId?: string | null;
  readonly data?: Readonly<Record<string, unknown>> | null;
}
