import { AgentName } from '@baton/domain';
import { z } from 'zod';

/** Input pieces shared by the routers, with the limits SPEC §8 asks for. */
/** PostgreSQL cannot store NUL in text or JSON: refuse it at the edge, with the reason. */
const NUL_MESSAGE = 'must not contain NUL characters (\\u0000); remove or escape them';

/** A string without NUL characters, at most `max` long. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), NUL_MESSAGE);

/** Any JSON value without NUL characters in its strings or keys. */
export const jsonValue = z
  .json()
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), NUL_MESSAGE);

export const id = z.string().min(1).max(100);
export const agentName = z.enum(Object.values(AgentName) as [AgentName, ...AgentName[]]);
export const reason = text(2000).optional();
export const feedback = text(10_000).optional();
export const limit = z.number().int().min(1).max(200).default(50);
export const cursor = z.string().max(500).nullish();
/** Sent by tRPC's infinite queries; pages only go forward, so it is accepted and ignored. */
export const direction = z.enum(['forward', 'backward']).optional();
