import { describe, it, expect } from 'vitest';
import { AgentName } from './agents';
import type { ApprovalPolicy } from './policy';
import {
  DEFAULT_APPROVAL_RULES,
  defaultApprovalPolicy,
  needsApproval,
  parseApprovalPolicy,
} from './policy';

const ALL_AGENTS = Object.values(AgentName);

function parsed(json: unknown): ApprovalPolicy {
  const result = parseApprovalPolicy(json);
  if (!result.ok) throw new Error(result.message);
  return result.policy;
}

describe('the default approval policy (SPEC §3.4.1)', () => {
  it.each(['write_file', 'delete_file', 'move_file', 'create_directory', 'execute_command'])(
    'requires approval for %s, whichever agent calls it',
    (tool) => {
      for (const agent of ALL_AGENTS) {
        expect(needsApproval(defaultApprovalPolicy, agent, tool)).toBe(true);
      }
    },
  );

  it.each(['read_file', 'list_files', 'search_files'])('never gates the read %s', (tool) => {
    for (const agent of ALL_AGENTS) {
      expect(needsApproval(defaultApprovalPolicy, agent, tool)).toBe(false);
    }
  });
});

describe('needsApproval', () => {
  it('lets the first matching rule win over later ones', () => {
    const policy: ApprovalPolicy = {
      rules: [
        { tool: 'write_file', approval: 'never' },
        { tool: 'write_*', approval: 'required' },
      ],
    };
    expect(needsApproval(policy, 'coder', 'write_file')).toBe(false);
    expect(needsApproval(policy, 'coder', 'write_other')).toBe(true);
  });

  it('applies a rule with an agent only to the agents it matches', () => {
    const policy = parsed({
      rules: [{ tool: 'execute_command', agent: 'debug', approval: 'never' }],
    });
    expect(needsApproval(policy, 'debug', 'execute_command')).toBe(false);
    expect(needsApproval(policy, 'coder', 'execute_command')).toBe(true);
  });

  it('matches agents by glob', () => {
    const policy: ApprovalPolicy = {
      rules: [{ tool: '*', agent: 'c*', approval: 'required' }],
    };
    expect(needsApproval(policy, 'coder', 'read_file')).toBe(true);
    expect(needsApproval(policy, 'debug', 'read_file')).toBe(false);
  });

  it('does not gate a tool no rule matches', () => {
    expect(needsApproval({ rules: [] }, 'coder', 'write_file')).toBe(false);
  });
});

describe('parseApprovalPolicy', () => {
  it('puts the configured rules before the defaults, so they win', () => {
    const policy = parsed({ rules: [{ tool: 'write_file', approval: 'never' }] });
    expect(policy.rules).toEqual([
      { tool: 'write_file', approval: 'never' },
      ...DEFAULT_APPROVAL_RULES,
    ]);
    expect(needsApproval(policy, 'coder', 'write_file')).toBe(false);
    expect(needsApproval(policy, 'coder', 'delete_file')).toBe(true);
  });

  it('keeps only the configured rules when extendDefaults is false', () => {
    const policy = parsed({
      rules: [{ tool: 'read_file', approval: 'required' }],
      extendDefaults: false,
    });
    expect(policy.rules).toEqual([{ tool: 'read_file', approval: 'required' }]);
    expect(needsApproval(policy, 'coder', 'read_file')).toBe(true);
    expect(needsApproval(policy, 'coder', 'write_file')).toBe(false);
  });

  it('keeps the agent of a rule that names one', () => {
    const policy = parsed({
      rules: [{ tool: 'execute_command', agent: 'debug', approval: 'never' }],
      extendDefaults: false,
    });
    expect(policy.rules).toEqual([{ tool: 'execute_command', agent: 'debug', approval: 'never' }]);
  });

  it('refuses a policy that is not an object', () => {
    const result = parseApprovalPolicy(null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Invalid approval policy: \(policy\): /);
  });

  it('refuses a policy without rules, naming the field', () => {
    const result = parseApprovalPolicy({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('rules:');
  });

  it('names each bad field of a rule', () => {
    const result = parseApprovalPolicy({
      rules: [
        { tool: 'read_file', approval: 'never' },
        { tool: '', approval: 'maybe' },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain('rules.1.tool');
      expect(result.message).toContain('rules.1.approval');
      expect(result.message).not.toContain('rules.0');
    }
  });

  it('refuses unknown fields instead of dropping them', () => {
    const top = parseApprovalPolicy({ rules: [], extra: true });
    expect(top.ok).toBe(false);
    if (!top.ok) expect(top.message).toContain('"extra"');
    const inRule = parseApprovalPolicy({
      rules: [{ tool: 'write_file', approval: 'never', agents: 'coder' }],
    });
    expect(inRule.ok).toBe(false);
    if (!inRule.ok) expect(inRule.message).toContain('"agents"');
  });

  it('refuses an extendDefaults that is not a boolean', () => {
    const result = parseApprovalPolicy({ rules: [], extendDefaults: 'no' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('extendDefaults');
  });
});
