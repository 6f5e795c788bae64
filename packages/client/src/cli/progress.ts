import type { SessionEvent } from '@baton/domain';

const short = (value: unknown, max = 100): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** One line (or none) of terminal progress for an event. */
export function describeEvent(event: SessionEvent): string | null {
  switch (event.type) {
    case 'message.assistant':
      return event.data.text ? `${event.data.agent}: ${event.data.text}` : null;
    case 'tool_call.dispatched':
      return `  → ${event.data.name} ${short(event.data.arguments)}`;
    case 'tool_call.resolved':
      return event.data.outcome.type === 'error'
        ? `  ✗ ${event.data.name}: ${short(event.data.outcome.message)}`
        : null;
    case 'agent.switched':
      return `switched ${event.data.from} → ${event.data.to}`;
    case 'plan.created':
      return [
        `plan: ${event.data.goal}`,
        ...event.data.subtasks.map(
          (s, i) =>
            `  ${i}. [${s.agent}] ${s.title}${s.dependsOn.length ? ` (after ${s.dependsOn.join(', ')})` : ''}`,
        ),
      ].join('\n');
    case 'plan.status':
      return `plan ${event.data.status}`;
    case 'subtask.status':
      return event.data.status === 'running' ||
        event.data.status === 'completed' ||
        event.data.status === 'failed'
        ? `subtask ${event.data.status} (${event.data.agent})${event.data.error ? `: ${event.data.error}` : ''}`
        : null;
    case 'error':
      return `error: ${event.data.message}`;
    default:
      return null;
  }
}
