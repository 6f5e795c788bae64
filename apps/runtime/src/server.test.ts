import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { readSettings } from './env';
import { startRuntime } from './server';

const logger = pino({ level: 'silent' });

describe('the runtime over HTTP', () => {
  it('is ready (GET /readyz) while its database answers, and says why not once it does not; it stays live (GET /healthz)', async () => {
    const settings = readSettings({ BATON_DATA_DIR: 'memory://', BATON_PORT: '0' });
    const runtime = await startRuntime(settings, logger);
    try {
      const ready = await fetch(`${runtime.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });

      await runtime.database.close();
      const notReady = await fetch(`${runtime.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/^the database/) as unknown,
      });
      expect((await fetch(`${runtime.url}/healthz`)).status).toBe(200);
    } finally {
      await runtime.close();
    }
  });
});
