import { eventsOf, waitForEvent } from '../src/harness/event-data';
import { recordEvents, runIdleAfter } from '../src/harness/events';
import { expect, logIn, screenshot, test, useDashboard } from './dashboard-fixture';

// Issue 5: a tool approval edited in the page dispatches the edited arguments. The editor checks
// the JSON against the tool's schema as the operator types, says what is wrong, and asks for a
// confirmation before it sends `approvals.decide` with `edit`.

const ORIGINAL = { path: 'notes.txt', content: 'first draft' };
const EDITED = { path: 'docs/notes.txt', content: 'edited in the dashboard' };

const dashboard = useDashboard({
  script: {
    agents: {
      coder: [
        { text: 'Writing the notes.', toolCalls: [{ name: 'write_file', arguments: ORIGINAL }] },
        { text: 'Done.' },
      ],
    },
  },
});

test('an operator edits the arguments of a gated write_file and the IDE receives the edited call', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const { client } = scenario;
  const session = await client.sessions.create.mutate({ title: 'Notes', agent: 'coder' });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Write the notes.' });
  await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === 'awaiting_approval');

  await logIn(page, web.url, scenario.tokens.operator);
  await page.goto(`${web.url}/sessions/${session.id}`);
  const approvals = page.getByRole('region', { name: 'Pending approvals' });
  await expect(approvals.getByLabel('Arguments of write_file')).toContainText('first draft');

  await page.getByRole('button', { name: 'Edit arguments of write_file' }).click();
  const editor = page.getByRole('textbox', { name: 'Edited arguments of write_file (JSON)' });
  const verdict = page.getByRole('status', { name: 'Check of the edited write_file arguments' });
  const approveWithEdits = page.getByRole('button', { name: 'Approve write_file with edits…' });
  await expect(editor).toHaveValue(JSON.stringify(ORIGINAL, null, 2));
  await expect(approvals).toContainText('write_file takes path (string, required), content');
  // Unchanged arguments are valid, but approving them is a plain approve.
  await expect(verdict).toContainText('Valid, but unchanged');
  await expect(approveWithEdits).toBeDisabled();

  await test.step('the editor says what is wrong while the operator types', async () => {
    await editor.fill('{"path": "docs/notes.txt", "content": ');
    await expect(verdict).toContainText('This is not valid JSON');
    await expect(editor).toHaveAttribute('aria-invalid', 'true');
    await expect(approveWithEdits).toBeDisabled();

    await editor.fill('{"path": "", "contents": "edited"}');
    await expect(verdict).toContainText('path: path must not be empty');
    await expect(verdict).toContainText('content: required (string), but missing.');
    await expect(verdict).toContainText(
      'unknown field "contents"; write_file takes path, content.',
    );
    await expect(approveWithEdits).toBeDisabled();
    await screenshot(page, 'approval-edit-invalid');
  });

  await test.step('valid edits, confirmed, are sent as an edit', async () => {
    await editor.fill(JSON.stringify(EDITED, null, 2));
    await expect(verdict).toContainText('Valid arguments for write_file.');
    await expect(editor).toHaveAttribute('aria-invalid', 'false');
    // Nothing was dispatched while the operator edited.
    expect(eventsOf(recorder.events, 'tool_call.dispatched')).toEqual([]);
    await approveWithEdits.click();
    const confirm = page.getByRole('group', { name: 'Confirm approving write_file with edits' });
    await expect(confirm).toContainText("The agent's original arguments will not run.");
    await screenshot(page, 'approval-edit-confirm');
    await confirm.getByRole('button', { name: 'Yes, approve with edits' }).click();
    await expect(approvals).toContainText('Nothing waits for approval.');
  });

  await test.step('the dispatched call carries the edited arguments, once', async () => {
    const dispatched = await waitForEvent(recorder, 'tool_call.dispatched');
    expect(dispatched.data).toMatchObject({ name: 'write_file', arguments: EDITED });
    const decided = await waitForEvent(recorder, 'approval.decided');
    expect(decided.data).toMatchObject({ status: 'edited' });
    const details = await client.sessions.get.query({ sessionId: session.id });
    expect(details.approvals).toMatchObject([{ status: 'edited', editedArguments: EDITED }]);
    expect(details.calls).toMatchObject([
      { arguments: ORIGINAL, dispatchedArguments: EDITED, status: 'dispatched' },
    ]);
    // The page shows what was sent, not what the model first asked for.
    const calls = page.getByRole('region', { name: 'Tool calls' });
    await expect(calls).toContainText('edited in the dashboard');
    await expect(calls).not.toContainText('first draft');

    // The IDE runs the edited call; the coder finishes.
    await client.toolResults.submit.mutate({
      sessionId: session.id,
      callId: dispatched.data.callId,
      result: 'written',
    });
    await recorder.waitFor(runIdleAfter(dispatched.seq));
    expect(eventsOf(recorder.events, 'tool_call.dispatched')).toHaveLength(1);
    await expect(page.getByRole('region', { name: 'Decision log' })).toContainText(
      'approved with edited arguments',
    );
  });
  recorder.close();
});

test('an edit the runtime refuses is shown in words and changes nothing', async ({ page }) => {
  const { scenario, web } = dashboard;
  const { client } = scenario;
  const session = await client.sessions.create.mutate({ title: 'Refused edit', agent: 'coder' });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Write the notes.' });
  const requested = await waitForEvent(recorder, 'approval.requested');

  await logIn(page, web.url, scenario.tokens.operator);
  await page.goto(`${web.url}/sessions/${session.id}`);
  await page.getByRole('button', { name: 'Edit arguments of write_file' }).click();
  await page
    .getByRole('textbox', { name: 'Edited arguments of write_file (JSON)' })
    .fill(JSON.stringify(EDITED));
  await page.getByRole('button', { name: 'Approve write_file with edits…' }).click();
  // Someone else (the IDE's user) rejects the call while the operator's edit is on its way.
  await page.route('**/api/trpc/approvals.decide**', async (route) => {
    await client.approvals.decide.mutate({
      sessionId: session.id,
      approvalId: requested.data.approvalId,
      decision: 'reject',
      feedback: 'not now',
    });
    await route.continue();
  });
  await page.getByRole('button', { name: 'Yes, approve with edits' }).click();
  const approvals = page.getByRole('region', { name: 'Pending approvals' });
  await expect(approvals).toContainText('Your last decision was not applied.');
  await expect(approvals.getByRole('alert')).toHaveText(
    `CONFLICT: Approval ${requested.data.approvalId} is already rejected; the first decision stands.`,
  );
  await expect(approvals).toContainText('Nothing waits for approval.');
  await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === 'idle');
  expect(eventsOf(recorder.events, 'tool_call.dispatched')).toEqual([]);
  recorder.close();
});
