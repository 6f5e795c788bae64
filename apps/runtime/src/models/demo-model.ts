import type { LanguageModelV3 } from '@ai-sdk/provider';

import { orchestratorStep } from './demo-orchestrator';
import { workerStep } from './demo-worker';
import { agentOf, conversationOf } from './prompt';
import { createStepModel } from './step-model';

/**
 * The `demo` model: deterministic, no network, no state. It reads the conversation it is given
 * and the agent from `providerOptions.baton.agent` (guessed from the tools offered when absent):
 * the orchestrator plans a new request and summarizes a plan report; the specialists list and
 * read the workspace, write files, run `node hello.js`, then complete quoting what they saw.
 */
export function createDemoModel(): LanguageModelV3 {
  return createStepModel({
    provider: 'baton',
    modelId: 'demo',
    decide: (options) => {
      const offered = new Set((options.tools ?? []).map((tool) => tool.name));
      const agent = agentOf(options) ?? (offered.has('create_plan') ? 'orchestrator' : 'coder');
      const conversation = conversationOf(options);
      return Promise.resolve(
        agent === 'orchestrator'
          ? orchestratorStep(conversation, offered)
          : workerStep(agent, conversation, offered),
      );
    },
  });
}
