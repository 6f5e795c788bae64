'use client';

import type { AgentName, JsonValue } from '@baton/domain';
import { jsonEqual } from '@baton/domain';
import { useId, useMemo, useState } from 'react';
import { checkEditedArguments, toolFields } from './argument-check';

/**
 * Edits a gated tool call's JSON arguments, checked as you type against the tool's schema and
 * the agent's permissions; "Approve with edits" asks for a confirmation before it sends them.
 */
export function ArgumentEditor({
  tool,
  agent,
  original,
  sending,
  onApprove,
  onDiscard,
}: {
  readonly tool: string;
  readonly agent: AgentName;
  readonly original: JsonValue;
  readonly sending: boolean;
  readonly onApprove: (args: JsonValue) => void;
  readonly onDiscard: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(original, null, 2));
  const [confirming, setConfirming] = useState(false);
  const check = useMemo(() => checkEditedArguments(tool, agent, text), [tool, agent, text]);
  const unchanged = check.ok && jsonEqual(check.value, original);
  const fields = toolFields(tool);
  const editor = `${id}-editor`;
  const hint = `${id}-hint`;
  const verdict = `${id}-verdict`;
  return (
    <div className="stack wide">
      <label htmlFor={editor}>Edited arguments of {tool} (JSON)</label>
      <p id={hint} className="muted small">
        {tool} takes{' '}
        {fields.map((f, i) => (
          <span key={f.name}>
            {i > 0 ? ', ' : ''}
            <code>{f.name}</code> ({f.type}
            {f.required ? ', required' : ''})
          </span>
        ))}
        .
      </p>
      <textarea
        id={editor}
        className="mono"
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        spellCheck={false}
        value={text}
        aria-invalid={!check.ok}
        aria-describedby={`${hint} ${verdict}`}
        readOnly={confirming || sending}
        onChange={(e) => setText(e.target.value)}
      />
      <div id={verdict} role="status" aria-label={`Check of the edited ${tool} arguments`}>
        {check.ok ? (
          <p className="ok">
            {unchanged
              ? 'Valid, but unchanged: use Approve to run the call as the agent asked.'
              : `Valid arguments for ${tool}.`}
          </p>
        ) : (
          <ul className="error problems">
            {check.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
      </div>
      {confirming && check.ok ? (
        <div role="group" aria-label={`Confirm approving ${tool} with edits`} className="row">
          <span>
            Dispatch {tool} with the edited arguments? The agent&apos;s original arguments will not
            run.
          </span>
          <button
            type="button"
            className="primary"
            disabled={sending}
            onClick={() => onApprove(check.value)}
          >
            Yes, approve with edits
          </button>
          <button type="button" disabled={sending} onClick={() => setConfirming(false)}>
            Keep editing
          </button>
        </div>
      ) : (
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={!check.ok || unchanged || sending}
            onClick={() => setConfirming(true)}
          >
            Approve {tool} with edits…
          </button>
          <button type="button" disabled={sending} onClick={onDiscard}>
            Discard edits
          </button>
        </div>
      )}
    </div>
  );
}
