import { describe, it, expect } from 'vitest';
import type { AgentName } from './agents';
import {
  agents,
  checkPermission,
  DEFAULT_AGENT,
  isAgentName,
  SUBTASK_AGENTS,
  toolsOf,
} from './agents';
import { clientToolSchemas } from './tools';

const READS = ['read_file', 'list_files', 'search_files'];
const CLIENT_TOOLS = Object.keys(clientToolSchemas);

/** SPEC §4, written out independently of agents.ts. */
const PERMITTED: Record<AgentName, string[]> = {
  orchestrator: [...READS, 'create_plan', 'switch_agent'],
  coder: [...CLIENT_TOOLS, 'attempt_completion', 'ask_followup_question'],
  architect: [...READS, 'write_file', 'attempt_completion', 'ask_followup_question'],
  debug: [...READS, 'execute_command', 'attempt_completion', 'ask_followup_question'],
  ask: [...READS, 'ask_followup_question'],
};

const ALL_TOOLS = [
  ...CLIENT_TOOLS,
  'create_plan',
  'switch_agent',
  'attempt_completion',
  'ask_followup_question',
];

describe('the agents', () => {
  it('are the five of SPEC §2, and a session starts with the orchestrator', () => {
    expect(Object.keys(agents).sort()).toEqual([
      'architect',
      'ask',
      'coder',
      'debug',
      'orchestrator',
    ]);
    expect(DEFAULT_AGENT).toBe('orchestrator');
    for (const [name, agent] of Object.entries(agents)) {
      expect(agent.name).toBe(name);
      expect(agent.systemPrompt).toMatch(/\w/);
    }
  });

  it('recognises agent names and nothing else', () => {
    expect(isAgentName('coder')).toBe(true);
    expect(isAgentName('Coder')).toBe(false);
    expect(isAgentName('hasOwnProperty')).toBe(false);
  });

  it('lets every agent but the orchestrator run subtasks', () => {
    expect([...SUBTASK_AGENTS].sort()).toEqual(['architect', 'ask', 'coder', 'debug']);
  });

  it.each(Object.entries(PERMITTED))('gives the %s exactly its SPEC §4 tools', (agent, tools) => {
    expect(toolsOf(agent as AgentName).sort()).toEqual([...tools].sort());
  });
});

describe('checkPermission', () => {
  it.each(Object.entries(PERMITTED))(
    'allows the %s its tools and refuses every other tool',
    (agent, tools) => {
      for (const tool of ALL_TOOLS) {
        const args = { path: 'notes.md', from: 'a.md', to: 'b.md' };
        const verdict = checkPermission(agent as AgentName, tool, args);
        if (tools.includes(tool)) expect(verdict, `${agent} ${tool}`).toBeNull();
        else expect(verdict, `${agent} ${tool}`).not.toBeNull();
      }
    },
  );

  it('names the agent, the tool and the tools it may use when it refuses', () => {
    expect(checkPermission('ask', 'write_file', { path: 'a.ts', content: '' })).toBe(
      'The ask agent may not call write_file. Its tools are: read_file, list_files, search_files, ask_followup_question.',
    );
  });

  it('refuses an unknown tool like any tool outside the permissions', () => {
    expect(checkPermission('coder', 'rm_rf', {})).toMatch(/^The coder agent may not call rm_rf\./);
  });

  it('lets the architect write Markdown files, in any folder', () => {
    expect(
      checkPermission('architect', 'write_file', { path: 'README.md', content: '' }),
    ).toBeNull();
    expect(
      checkPermission('architect', 'write_file', { path: 'docs/design/api.md', content: '' }),
    ).toBeNull();
  });

  it('refuses the architect a write to anything but *.md, saying which paths it may touch', () => {
    for (const path of ['src/index.ts', 'notes.md.bak', 'md', 'README.MD']) {
      expect(checkPermission('architect', 'write_file', { path, content: '' })).toBe(
        'The architect agent may call write_file only on paths matching *.md.',
      );
    }
  });

  it('does not limit the paths of agents without a path rule', () => {
    expect(
      checkPermission('coder', 'write_file', { path: 'src/index.ts', content: '' }),
    ).toBeNull();
    expect(checkPermission('coder', 'move_file', { from: 'a.ts', to: 'b.ts' })).toBeNull();
  });
});
