import { describe, expect, it } from 'vitest';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './index.js';

describe('isWebhookEventType', () => {
  it('knows every event of the list and nothing else', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(isWebhookEventType(type)).toBe(true);
    expect(isWebhookEventType('connection.expired')).toBe(false);
    expect(isWebhookEventType('toString')).toBe(false);
    expect(isWebhookEventType(undefined)).toBe(false);
  });

  it('lists the five connection events and connect.failed of DESIGN §4.7', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'connection.created',
      'connection.updated',
      'connection.deleted',
      'connection.refresh_failed',
      'connection.expiring',
      'connect.failed',
    ]);
  });
});
