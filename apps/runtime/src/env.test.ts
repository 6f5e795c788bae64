import { describe, expect, it } from 'vitest';
import { readSettings } from './env';

describe('readSettings', () => {
  it('defaults to PGlite, the demo model, port 4000 and required plan approval', () => {
    const settings = readSettings({});
    expect(settings.port).toBe(4000);
    expect(settings.database).toEqual({ dataDir: './.baton/data' });
    expect(settings.models.default).toBe('demo');
    expect(settings.domain.planApproval).toBe('required');
    expect(settings.domain.maxSubtaskSteps).toBe(25);
    expect(settings.domain.approvalTimeoutMs).toBeNull();
    expect(settings.leaseMs).toBe(30_000);
    expect(settings.drainMs).toBe(10_000);
    expect(settings.models.queue).toBe(160);
    expect(settings.limits.maxResultBytes).toBe(1024 * 1024);
  });

  it('reads per-agent models, the approval timeout in seconds and a PostgreSQL URL', () => {
    const settings = readSettings({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      BATON_MODEL: 'openai:gpt-4o',
      OPENAI_API_KEY: 'sk-test',
      BATON_MODEL_CODER: 'anthropic:claude',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      BATON_APPROVAL_TIMEOUT: '90',
      BATON_PLAN_APPROVAL: 'auto',
    });
    expect(settings.database.url).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(settings.models.perAgent).toEqual({ coder: 'anthropic:claude' });
    expect(settings.domain.approvalTimeoutMs).toBe(90_000);
    expect(settings.domain.planApproval).toBe('auto');
  });

  it('takes an approval policy as JSON, its rules first and the defaults after', () => {
    const settings = readSettings({
      BATON_APPROVAL_POLICY:
        '{"rules":[{"tool":"execute_command","agent":"debug","approval":"never"}]}',
    });
    expect(settings.domain.approvalPolicy.rules[0]).toEqual({
      tool: 'execute_command',
      agent: 'debug',
      approval: 'never',
    });
    expect(settings.domain.approvalPolicy.rules.length).toBeGreaterThan(1);
  });

  it('stops the start with a message naming every bad variable', () => {
    expect(() => readSettings({ BATON_PORT: 'eighty', BATON_PLAN_APPROVAL: 'sometimes' })).toThrow(
      /BATON_PORT[\s\S]*BATON_PLAN_APPROVAL|BATON_PLAN_APPROVAL[\s\S]*BATON_PORT/,
    );
    expect(() => readSettings({ BATON_APPROVAL_POLICY: '{"rules":[{"tool":"x"}]}' })).toThrow(
      /BATON_APPROVAL_POLICY: Invalid approval policy/,
    );
  });

  it('stops the start on a model spec that resolves to no model, naming its variable', () => {
    expect(() => readSettings({ BATON_MODEL: 'gpt-4o' })).toThrow(
      /^BATON_MODEL: Unknown model "gpt-4o"/,
    );
    expect(() => readSettings({ BATON_MODEL_CODER: 'openai:gpt-4o' })).toThrow(
      /^BATON_MODEL_CODER: .*needs OPENAI_API_KEY/,
    );
    expect(() => readSettings({ BATON_MODEL_DEBUG: 'script:/nowhere/script.json' })).toThrow(
      /^BATON_MODEL_DEBUG: Cannot read model script/,
    );
  });

  it('takes only a PostgreSQL URL as DATABASE_URL', () => {
    expect(() => readSettings({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/baton' })).toThrow(
      /^DATABASE_URL: must be a PostgreSQL URL/,
    );
    expect(readSettings({ DATABASE_URL: 'postgresql://u@h/db' }).database.url).toBe(
      'postgresql://u@h/db',
    );
  });

  it('bounds the model-step queue at ten times the concurrency unless told otherwise', () => {
    expect(readSettings({ BATON_MODEL_CONCURRENCY: '4' }).models.queue).toBe(40);
    expect(readSettings({ BATON_MODEL_QUEUE: '0' }).models.queue).toBe(0);
  });
});
