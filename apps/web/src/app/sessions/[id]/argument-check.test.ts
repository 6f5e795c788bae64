import { describe, expect, it } from 'vitest';
import { checkEditedArguments, toolFields } from './argument-check';

describe('checking arguments edited in an approval', () => {
  it('accepts arguments that fit the tool and the agent, and gives back the value', () => {
    expect(
      checkEditedArguments('write_file', 'coder', '{"path": "a.txt", "content": "hi"}'),
    ).toEqual({ ok: true, value: { path: 'a.txt', content: 'hi' } });
  });

  it('says when the text is not JSON', () => {
    const check = checkEditedArguments('write_file', 'coder', '{"path": ');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems[0]).toMatch(/^This is not valid JSON: /);
  });

  it('names every field that is missing, empty, of the wrong type or unknown', () => {
    expect(
      checkEditedArguments('write_file', 'coder', '{"path": "", "mode": 1, "content": 3}'),
    ).toEqual({
      ok: false,
      problems: [
        'path: path must not be empty',
        'content: Invalid input: expected string, received number',
        'The arguments: unknown field "mode"; write_file takes path, content.',
      ],
    });
    expect(checkEditedArguments('move_file', 'coder', '{"from": "a"}')).toEqual({
      ok: false,
      problems: ['to: required (string), but missing.'],
    });
  });

  it('refuses what the agent may not do, like the runtime: an architect writes only *.md', () => {
    expect(
      checkEditedArguments('write_file', 'architect', '{"path": "src/a.ts", "content": ""}'),
    ).toEqual({
      ok: false,
      problems: ['The architect agent may call write_file only on paths matching *.md.'],
    });
    expect(
      checkEditedArguments('write_file', 'architect', '{"path": "notes.md", "content": ""}').ok,
    ).toBe(true);
  });

  it('refuses NUL characters, which the runtime cannot store', () => {
    const check = checkEditedArguments(
      'write_file',
      'coder',
      '{"path": "a", "content": "\\u0000"}',
    );
    expect(check.ok).toBe(false);
  });

  it('refuses to edit a tool that does not run on the client', () => {
    expect(checkEditedArguments('create_plan', 'orchestrator', '{}').ok).toBe(false);
  });
});

describe("a tool's fields, for the editor's hint", () => {
  it('lists each field with its type and whether it is required', () => {
    expect(toolFields('read_file')).toEqual([
      { name: 'path', type: 'string', required: true },
      { name: 'startLine', type: 'integer', required: false },
      { name: 'endLine', type: 'integer', required: false },
    ]);
    expect(toolFields('no_such_tool')).toEqual([]);
  });
});
