import type { Actor } from '../services/actor.ts';
import type { AppServices } from '../services/index.ts';

export type Env = { Variables: { actor: Actor | null; services: AppServices } };
