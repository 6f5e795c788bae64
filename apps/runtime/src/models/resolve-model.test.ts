import { describe, expect, it } from 'vitest';

import { ModelSpecError } from './errors';
import { modelSpecFor, resolveAgentModels, resolveModel } from './resolve-model';

describe('resolveModel', () => {
  it('builds each kind of model a spec names', () => {
    expect(resolveModel('demo')).toMatchObject({ provider: 'baton', modelId: 'demo' });
    expect(resolveModel('openai:gpt-4o-mini', { openaiApiKey: 'k' })).toMatchObject({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
    });
    expect(resolveModel('anthropic:claude-sonnet-4-5', { anthropicApiKey: 'k' })).toMatchObject({
      modelId: 'claude-sonnet-4-5',
    });
    expect(
      resolveModel('compatible:llama3.1:8b', { compatibleBaseUrl: 'http://127.0.0.1:11434/v1' }),
    ).toMatchObject({ modelId: 'llama3.1:8b' });
  });

  it.each([
    ['openai:gpt-4o', 'OPENAI_API_KEY'],
    ['anthropic:claude-sonnet-4-5', 'ANTHROPIC_API_KEY'],
    ['compatible:llama3', 'BATON_MODEL_BASE_URL'],
  ])('says which env var %s needs when it is missing', (spec, envVar) => {
    expect(() => resolveModel(spec, {})).toThrow(ModelSpecError);
    expect(() => resolveModel(spec, {})).toThrow(`Model "${spec}" needs ${envVar}`);
  });

  it('refuses a spec it does not know, or one without a model name', () => {
    expect(() => resolveModel('gpt-4o')).toThrow(
      'Unknown model "gpt-4o": use one of openai:<model>, anthropic:<model>, compatible:<model>, demo, script:<file>.',
    );
    expect(() => resolveModel('openai:', { openaiApiKey: 'k' })).toThrow(
      'Model "openai:" names no model: write openai:<model>.',
    );
    expect(() => resolveModel('script:')).toThrow(ModelSpecError);
  });
});

describe('modelSpecFor', () => {
  it("takes an agent's own spec over the default", () => {
    const specs = { default: 'demo', perAgent: { coder: 'openai:gpt-4o' } };
    expect(modelSpecFor('coder', specs)).toBe('openai:gpt-4o');
    expect(modelSpecFor('debug', specs)).toBe('demo');
  });
});

describe('resolveAgentModels', () => {
  it('resolves every agent at once, one shared instance per spec', () => {
    const models = resolveAgentModels(
      { default: 'demo', perAgent: { coder: 'openai:gpt-4o' } },
      { openaiApiKey: 'k' },
    );
    expect(models.coder.modelId).toBe('gpt-4o');
    expect(models.debug).toBe(models.orchestrator);
  });

  it("fails at once when one agent's spec is unusable", () => {
    expect(() => resolveAgentModels({ default: 'demo', perAgent: { ask: 'anthropic:x' } })).toThrow(
      'ANTHROPIC_API_KEY',
    );
  });
});
