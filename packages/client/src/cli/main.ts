import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createBatonClient } from '../client';
import { runTask } from '../run-task';
import { readCliEnv } from './env';
import { describeEvent } from './progress';
import { askApproval } from './prompt-approval';

const USAGE = `Usage:
  baton run <folder> "<task>" [--yes] [--agent <name>] [--session <id>]
      Runs a task against a workspace folder: tools run here, in the folder; approvals are
      asked in the terminal (--yes approves everything).
  baton token create --name <name> --role client|operator|admin
      Creates an API token (needs an admin token in BATON_TOKEN, e.g. BATON_BOOTSTRAP_TOKEN).

Environment: BATON_URL (default http://127.0.0.1:4000), BATON_TOKEN (an API token).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      yes: { type: 'boolean', short: 'y' },
      agent: { type: 'string' },
      session: { type: 'string' },
    },
  });
  const [folder, ...words] = positionals;
  const task = words.join(' ').trim();
  if (!folder || !task) fail(USAGE);
  const env = readCliEnv();
  if (!env.token)
    fail('Set BATON_TOKEN to a client token (the runtime prints one on its first start).');
  const root = resolve(folder);
  mkdirSync(root, { recursive: true });
  const client = createBatonClient({ url: env.url, token: env.token });
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const outcome = await runTask({
      client,
      workspace: { root },
      task,
      ...(values.session ? { sessionId: values.session } : {}),
      ...(values.agent ? { agent: values.agent as never } : {}),
      ...(values.yes ? {} : { approve: (request) => askApproval(rl, request) }),
      onEvent: (event) => {
        const line = describeEvent(event);
        if (line) process.stdout.write(`${line}\n`);
      },
    });
    process.stdout.write(`\nDone (session ${outcome.sessionId}).\n`);
    if (outcome.errors.length > 0) process.exitCode = 1;
  } finally {
    rl.close();
  }
}

async function token(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.name || !values.role) fail(USAGE);
  const role = values.role;
  if (role !== 'client' && role !== 'operator' && role !== 'admin')
    fail('--role must be client, operator or admin.');
  const env = readCliEnv();
  if (!env.token) fail('Set BATON_TOKEN to an admin token (BATON_BOOTSTRAP_TOKEN works).');
  const created = await createBatonClient({ url: env.url, token: env.token }).tokens.create.mutate({
    name: values.name,
    role,
  });
  process.stdout.write(`${created.token}\n(id ${created.id}; the secret is shown only now)\n`);
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<void>> = { run, token };
const handler = command ? commands[command] : undefined;
if (!handler) fail(USAGE);
handler(rest).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
