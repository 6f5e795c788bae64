import { describe, it, expect } from 'vitest';
import type { ToolName } from './tools';
import {
  clientToolSchemas,
  isClientTool,
  isRuntimeTool,
  runtimeToolSchemas,
  SOLO_TOOLS,
  toolDescriptions,
  validateToolArguments,
} from './tools';

/** The message of a failed check, or a test failure when the check passed. */
function problem(name: ToolName, args: unknown): string {
  const checked = validateToolArguments(name, args);
  if (checked.ok) throw new Error(`expected ${name} to refuse ${JSON.stringify(args)}`);
  return checked.message;
}

const VALID: Record<ToolName, unknown> = {
  read_file: { path: 'src/a.ts', startLine: 1, endLine: 10 },
  write_file: { path: 'src/a.ts', content: '' },
  list_files: { path: '.', recursive: true },
  search_files: { query: 'TODO', path: 'src', regex: false },
  execute_command: { command: 'npm test', cwd: 'packages', timeoutMs: 1000 },
  create_directory: { path: 'docs' },
  delete_file: { path: 'old.txt' },
  move_file: { from: 'a.txt', to: 'b.txt' },
  create_plan: {
    goal: 'ship it',
    subtasks: [{ title: 'code', description: 'write it', agent: 'coder', dependsOn: [] }],
  },
  switch_agent: { agent: 'coder', reason: 'it writes code' },
  attempt_completion: { result: 'done' },
  ask_followup_question: { question: 'Which file?' },
};

describe('the tool catalogue (SPEC §4)', () => {
  it('has the eight client tools and the four runtime tools, each described', () => {
    expect(Object.keys(clientToolSchemas).sort()).toEqual(
      [
        'create_directory',
        'delete_file',
        'execute_command',
        'list_files',
        'move_file',
        'read_file',
        'search_files',
        'write_file',
      ].sort(),
    );
    expect(Object.keys(runtimeToolSchemas).sort()).toEqual(
      ['ask_followup_question', 'attempt_completion', 'create_plan', 'switch_agent'].sort(),
    );
    for (const name of Object.keys(VALID)) {
      expect(toolDescriptions[name as ToolName]).toMatch(/\w/);
    }
  });

  it('tells client tools from runtime tools and from names that are neither', () => {
    expect(isClientTool('write_file')).toBe(true);
    expect(isRuntimeTool('write_file')).toBe(false);
    expect(isRuntimeTool('create_plan')).toBe(true);
    expect(isClientTool('create_plan')).toBe(false);
    expect(isClientTool('toString')).toBe(false);
    expect(isRuntimeTool('constructor')).toBe(false);
  });

  it('makes create_plan, attempt_completion and ask_followup_question solo tools', () => {
    expect([...SOLO_TOOLS].sort()).toEqual(
      ['ask_followup_question', 'attempt_completion', 'create_plan'].sort(),
    );
  });
});

describe('validateToolArguments', () => {
  it.each(Object.entries(VALID))('accepts valid arguments for %s', (name, args) => {
    expect(validateToolArguments(name as ToolName, args)).toEqual({ ok: true, value: args });
  });

  it('accepts a read_file with only its path', () => {
    expect(validateToolArguments('read_file', { path: 'a' })).toEqual({
      ok: true,
      value: { path: 'a' },
    });
  });

  it.each<[ToolName, unknown, string]>([
    ['read_file', {}, 'path'],
    ['write_file', { path: 'a.ts' }, 'content'],
    ['move_file', { from: 'a' }, 'to'],
    ['execute_command', { command: '' }, 'command'],
    ['search_files', { query: 'x', regex: 'yes' }, 'regex'],
    ['read_file', { path: 'a', startLine: 0 }, 'startLine'],
    ['read_file', { path: 'a', endLine: 1.5 }, 'endLine'],
    ['execute_command', { command: 'ls', timeoutMs: 0 }, 'timeoutMs'],
    ['create_directory', { path: '' }, 'path'],
    ['attempt_completion', {}, 'result'],
    ['ask_followup_question', { question: '' }, 'question'],
    ['switch_agent', { agent: 1 }, 'agent'],
    ['create_plan', { goal: 'g' }, 'subtasks'],
  ])('refuses invalid %s arguments %j, naming the field %s', (name, args, field) => {
    const message = problem(name, args);
    expect(message).toMatch(new RegExp(`^Invalid arguments for ${name}: `));
    expect(message).toContain(`${field}: `);
  });

  it('refuses an extra field and names it', () => {
    const message = problem('write_file', { path: 'a.ts', content: 'x', mode: 0o644 });
    expect(message).toContain('"mode"');
  });

  it('refuses arguments that are not an object', () => {
    expect(problem('list_files', 'src')).toContain('(arguments): ');
    expect(problem('list_files', null)).toContain('(arguments): ');
  });

  it('names nested fields of a plan by their path', () => {
    const message = problem('create_plan', {
      goal: 'g',
      subtasks: [
        { title: 'ok', description: '', agent: 'coder' },
        { title: '', description: '', agent: 'coder', dependsOn: [-1] },
      ],
    });
    expect(message).toContain('subtasks.1.title');
    expect(message).toContain('subtasks.1.dependsOn.0');
    expect(message).not.toContain('subtasks.0');
  });

  it('gives a subtask without dependsOn no dependencies', () => {
    const checked = validateToolArguments('create_plan', {
      goal: 'g',
      subtasks: [{ title: 't', description: 'd', agent: 'coder' }],
    });
    expect(checked.ok && checked.value.subtasks[0]?.dependsOn).toEqual([]);
  });
});
