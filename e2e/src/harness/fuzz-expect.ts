import type { CallerKind } from './fuzz-world';
import { roleOf } from './fuzz-world';
import type { RowChange } from './fuzz-database';
import { field, tableName } from './fuzz-database';
import type { MinimumRole } from './fuzz-procedures';

/**
 * What the fuzz expects an answer to be, from what it sent: who called, whether the input is
 * valid (asked of the procedure's own input schema), and how big the request was.
 */

/** The request body the runtime reads at most (server.ts: 2 × BATON_MAX_RESULT_BYTES + 64 KiB). */
export const BODY_LIMIT = 2 * 1024 * 1024 + 64 * 1024;
/** Node refuses a request line and headers over 16 KiB with 431 before the runtime sees them. */
const HEADER_LIMIT = 16 * 1024;

/** A procedure as the router defines it: its kind and its input parsers. */
export interface RouterProcedure {
  readonly _def: { readonly type: string; readonly inputs: readonly unknown[] };
}

interface Parser {
  safeParse(value: unknown): { success: boolean };
}

/**
 * Whether the procedure's input schema accepts the JSON text `inputText` (absent: no input). A
 * schema that throws (a stack overflow on deep JSON) does not accept it.
 */
export function schemaAccepts(procedure: RouterProcedure, inputText: string | undefined): boolean {
  const parser = procedure._def.inputs[0] as Parser | undefined;
  if (!parser) return true;
  try {
    const value: unknown = inputText === undefined ? undefined : JSON.parse(inputText);
    return parser.safeParse(value).success;
  } catch {
    return false;
  }
}

const rank = { client: 0, operator: 1, admin: 2 } as const;

/** The answers a request may get: 'OK' (2xx) or tRPC codes, or a bare status (431). */
export interface Expected {
  readonly codes: readonly string[];
  /** Whether the request gets past transport, auth, size and schema to the procedure itself. */
  readonly reachesProcedure: boolean;
  /** Why: the rule that picked them, for failure reports. */
  readonly because: string;
}

/** The answers allowed for one request. */
export function expectedAnswers(args: {
  type: string;
  role: MinimumRole;
  caller: CallerKind;
  validInput: boolean;
  mayAccept: boolean;
  requestBytes: number;
  /** The request line and headers, in bytes: what Node's 16 KiB header limit counts. */
  headLength: number;
}): Expected {
  // Node refuses these before the runtime sees them: 431, or closing the connection mid-request.
  if (args.headLength > HEADER_LIMIT) {
    return {
      codes: ['431', 'CLOSED'],
      because: 'request line and headers over 16 KiB',
      reachesProcedure: false,
    };
  }
  const expected = byCallerAndInput(args);
  const extra = [
    // The runtime answers a body it will not read and closes the connection; the answer can be
    // lost to the reset of the unread rest.
    ...(args.requestBytes > BODY_LIMIT ? ['CLOSED'] : []),
    ...(args.headLength > HEADER_LIMIT - 1024 ? ['431'] : []),
  ];
  return { ...expected, codes: [...expected.codes, ...extra] };
}

function byCallerAndInput(args: Parameters<typeof expectedAnswers>[0]): Expected {
  const refused = (codes: string[], because: string): Expected => ({
    codes,
    because,
    reachesProcedure: false,
  });
  const { type, role, caller } = args;
  if (role === 'public')
    return { codes: ['OK'], because: 'public procedure', reachesProcedure: true };
  const callerRole = roleOf(caller);
  if (callerRole === null) {
    return refused(['UNAUTHORIZED'], `caller ${caller} has no valid token`);
  }
  if (rank[callerRole] < rank[role]) {
    return refused(['FORBIDDEN'], `${callerRole} < ${role}`);
  }
  if (args.requestBytes > BODY_LIMIT) {
    return refused(['PAYLOAD_TOO_LARGE'], 'body over the limit');
  }
  if (!args.validInput) {
    return refused(['BAD_REQUEST'], 'the input schema refuses the input');
  }
  const refusals = ['NOT_FOUND', 'BAD_REQUEST'];
  if (type !== 'mutation') {
    return { codes: ['OK', ...refusals], because: `valid ${type}`, reachesProcedure: true };
  }
  return {
    codes: [...(args.mayAccept ? ['OK'] : []), ...refusals, 'CONFLICT', 'PAYLOAD_TOO_LARGE'],
    because: 'valid mutation',
    reachesProcedure: true,
  };
}

/** Fields of a session that a recorded decision advances (its event counter and activity time). */
const EVENT_COUNTER_FIELDS = new Set([
  'last_seq',
  'lastSeq',
  'last_activity_at',
  'lastActivityAt',
  'updated_at',
  'updatedAt',
]);
/**
 * The decisions SPEC §6 and §7 let an input that changes nothing record: a refusal in the
 * caller's own session (`unknown_call_rejected`, `conflict_rejected`), or a repeat of something
 * already done (`duplicate_ignored`: a decision repeated on a decided plan or approval).
 */
const RECORDED_NOTHING = new Set([
  'unknown_call_rejected',
  'conflict_rejected',
  'duplicate_ignored',
]);

/**
 * Whether `changes` are only the traces of inputs that changed nothing in the caller's own
 * sessions (`sessions`): at most `inputs` decisions of {@link RECORDED_NOTHING}, their `decision`
 * events, and those sessions' event counters moving on.
 */
export function areRecordedDecisions(
  changes: readonly RowChange[],
  sessions: ReadonlySet<string>,
  inputs: number,
): boolean {
  const decisions = changes.filter((c) => tableName(c.table) === 'decisions');
  const inSessions = (row: Record<string, unknown> | undefined) =>
    sessions.has(String(field(row, 'session_id')));
  return (
    decisions.length >= 1 &&
    decisions.length <= inputs &&
    changes.every((c) => {
      const table = tableName(c.table);
      if (table === 'decisions') {
        return (
          c.kind === 'inserted' &&
          RECORDED_NOTHING.has(String(field(c.after, 'kind'))) &&
          inSessions(c.after)
        );
      }
      if (table === 'events') {
        return (
          c.kind === 'inserted' && field(c.after, 'type') === 'decision' && inSessions(c.after)
        );
      }
      if (table === 'sessions' && c.kind === 'updated' && c.before && c.after) {
        const { before, after } = c;
        const changed = Object.keys(after).filter(
          (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
        );
        return (
          sessions.has(String(field(after, 'id'))) &&
          changed.every((k) => EVENT_COUNTER_FIELDS.has(k))
        );
      }
      return false;
    })
  );
}
