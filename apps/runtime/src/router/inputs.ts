import { AgentName } from '@baton/domain';
import { z } from 'zod';

/** Input pieces shared by the routers, with the limits SPEC §8 asks for. */
export const id = z.string().min(1).max(100);
export const agentName = z.enum(Object.values(AgentName) as [AgentName, ...AgentName[]]);
export const reason = z.string().max(2000).optional();
export const feedback = z.string().max(10_000).optional();
export const limit = z.number().int().min(1).max(200).default(50);
export const cursor = z.string().max(500).nullish();
