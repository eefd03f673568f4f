import { WEBHOOK_EVENT_TYPES } from '@pingone-connect/protocol';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger/logger.js';
import { API_ROUTES, openApiDocument } from './openapi.js';
import { openStore } from './store/open.js';

type JsonObject = Record<string, unknown>;

const config = loadConfig({
  SECRET_KEYS: 'sk_test_0123456789abcdefghijklmnopqrstuvwxyz',
  SESSION_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64url'),
  ENCRYPTION_KEYS: Buffer.alloc(32, 2).toString('base64url'),
  ALLOWED_ORIGINS: 'https://app.example.com',
  PINGONE_ENVIRONMENT_ID: '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b',
  PINGONE_CLIENT_ID: 'client',
  PINGONE_CLIENT_SECRET: 'secret',
});

describe('GET /openapi.json', () => {
  it('documents exactly the routes the app serves', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const app = createApp(config, store, { logger: createLogger({ sink: () => {} }) });
      const served = app.routes
        .filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method.toLowerCase()} ${route.path}`);
      const documented = API_ROUTES.map((route) => `${route.method} ${route.path}`);
      expect(new Set(served)).toEqual(new Set(documented));

      const response = await app.request('/openapi.json');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(openApiDocument(config.publicUrl));
    } finally {
      await store.close();
    }
  });

  it('is OpenAPI 3.1 with request schemas generated from the validators', () => {
    const document = openApiDocument(config.publicUrl) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/connections/{id}');
    expect(
      document.paths['/connect/sessions']?.post?.requestBody?.content['application/json']?.schema
        .required,
    ).toEqual(['end_user']);
    expect(document.paths['/connections/{id}']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path' }),
      expect.objectContaining({ name: 'refresh', in: 'query', required: false }),
    ]);
    expect(document.paths['/oauth/connect']?.post?.requestBody?.content).toHaveProperty(
      'application/x-www-form-urlencoded',
    );
    expect(
      document.paths['/integrations']?.post?.requestBody?.content['application/json']?.schema
        .required,
    ).toEqual(['id', 'environment_id', 'client_id']);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/integrations/{id}', '/integrations/{id}/preflight']),
    );
    expect(document.paths['/proxy/{path}']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'path', in: 'path' }),
      expect.objectContaining({ name: 'connection-id', in: 'header', required: true }),
      expect.objectContaining({ name: 'provider-config-key', in: 'header', required: false }),
    ]);
  });

  it('describes every webhook event, with the connection’s status, status_reason and reauth_by', () => {
    const document = openApiDocument(config.publicUrl) as {
      webhooks: Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: JsonObject }> } } }
      >;
    };
    expect(Object.keys(document.webhooks)).toEqual([...WEBHOOK_EVENT_TYPES]);
    const body = document.webhooks['connection.expiring']?.post.requestBody.content[
      'application/json'
    ]?.schema as { properties: { data: { required: string[] } } };
    expect(body.properties.data.required).toEqual(
      expect.arrayContaining(['connection_id', 'status', 'status_reason', 'reauth_by']),
    );
  });

  it('describes connect.failed with the attempt and its error', () => {
    const document = openApiDocument(config.publicUrl) as {
      webhooks: Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: JsonObject }> } } }
      >;
    };
    const body = document.webhooks['connect.failed']?.post.requestBody.content['application/json']
      ?.schema as { properties: { data: { required: string[] } } };
    expect(body.properties.data.required).toEqual(
      expect.arrayContaining(['attempt_id', 'error', 'end_user', 'integration_id']),
    );
  });
});
