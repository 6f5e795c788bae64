import type { SessionEvent } from '@baton/domain';

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line saying what an event is about, for the event lists. */
export function summarizeEvent(event: SessionEvent): string {
  switch (event.type) {
    case 'session.created':
      return `“${clip(event.data.title)}” with ${event.data.agent}`;
    case 'message.user':
      return clip(event.data.text);
    case 'message.delta':
      return clip(event.data.text);
    case 'message.assistant':
      return `${event.data.agent}: ${clip(event.data.text || '(no text)')}`;
    case 'agent.switched':
      return `${event.data.from} → ${event.data.to}`;
    case 'tool_call.dispatched':
      return `${event.data.name} by ${event.data.agent}`;
    case 'tool_call.resolved':
      return `${event.data.name}: ${event.data.outcome.type} (by ${event.data.resolvedBy})`;
    case 'approval.requested':
      return event.data.kind === 'tool' ? `tool ${event.data.name ?? ''}`.trim() : 'plan';
    case 'approval.decided':
      return `${event.data.kind} ${event.data.status}`;
    case 'plan.created':
      return `${clip(event.data.goal)} (${event.data.subtasks.length} subtasks)`;
    case 'plan.status':
      return event.data.status;
    case 'subtask.status':
      return `${event.data.agent}: ${event.data.status}`;
    case 'run.state':
      return `${event.data.from} → ${event.data.to}`;
    case 'decision':
      return `${event.data.kind}: ${clip(event.data.reason)}`;
    case 'error':
      return clip(event.data.message);
  }
}
