import type { Role } from '../db/schema.ts';

/** Who is doing something: a user (API session/token, CLI) or the system (demo loader, jobs). */
export interface Actor {
  id: number | null;
  label: string;
  role: Role | 'system';
}

export const SYSTEM: Actor = { id: null, label: 'system', role: 'system' };
