import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';
import { uniqueToConflict } from './catalog.service.ts';

export const ROLES: Role[] = ['kiosk', 'staff', 'manager', 'admin'];
/** admin ⊃ manager ⊃ staff ⊃ kiosk: a route open to a role is open to every role above it. */
export const roleRank = (r: Role | 'system') => (r === 'system' ? 99 : ROLES.indexOf(r));

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export interface UserView {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

/**
 * Users, password logins (argon2id) and bearer tokens. Sessions and API tokens are random secrets stored
 * only as SHA-256 hashes. A token lookup is cached in memory for a few seconds, so a revoked token may work
 * for up to CACHE_MS on another server process (in this process revocation clears the cache at once).
 */
export class AuthService {
  private cache = new Map<string, { actor: Actor; until: number }>();
  static CACHE_MS = 5000;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sessionHours = 12,
  ) {}

  async createUser(actor: Actor, u: { email: string; name?: string; role: Role; password?: string }): Promise<UserView> {
    if (u.password !== undefined && u.password.length < 10) throw new AppError('invalid', 'password must have at least 10 characters', 'password');
    const hash = u.password ? await argon2.hash(u.password, { type: argon2.argon2id }) : null;
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({ email: u.email.toLowerCase(), name: u.name ?? '', role: u.role, password_hash: hash })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(uniqueToConflict);
      const view = userView(row);
      await audit(trx, actor, 'user.create', 'user', row.id, null, view);
      return view;
    });
  }

  async updateUser(actor: Actor, id: number, patch: { name?: string; role?: Role; disabled?: boolean; password?: string }): Promise<UserView> {
    if (patch.password !== undefined && patch.password.length < 10) throw new AppError('invalid', 'password must have at least 10 characters', 'password');
    const hash = patch.password ? await argon2.hash(patch.password, { type: argon2.argon2id }) : undefined;
    const view = await inTransaction(this.db, async (trx) => {
      const before = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('not_found', `user ${id} does not exist`, 'id');
      const row = await trx
        .updateTable('users')
        .set({ name: patch.name, role: patch.role, disabled: patch.disabled, password_hash: hash })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (patch.disabled || hash) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await audit(trx, actor, patch.password ? 'user.password' : 'user.update', 'user', id, userView(before), userView(row));
      return userView(row);
    });
    this.cache.clear();
    return view;
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('id').execute()).map(userView);
  }

  async countUsers(): Promise<number> {
    const r = await this.db.selectFrom('users').select(this.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** First start: an admin with a random one-time password (or SHELFWISE_ADMIN_PASSWORD), returned to print. */
  async ensureAdmin(email: string, password?: string): Promise<{ email: string; password: string } | null> {
    if ((await this.countUsers()) > 0) return null;
    const pw = password ?? randomBytes(12).toString('base64url');
    await this.createUser({ id: null, label: 'setup', role: 'system' }, { email, name: 'Administrator', role: 'admin', password: pw });
    return { email, password: pw };
  }

  async login(email: string, password: string): Promise<{ token: string; expiresAt: Date; user: UserView }> {
    const u = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    // Verify against a dummy hash when the user is unknown so timing does not reveal which emails exist.
    const ok = u?.password_hash ? await argon2.verify(u.password_hash, password) : (await argon2.hash(password), false);
    if (!u || !ok || u.disabled) throw new AppError('unauthorized', 'wrong email or password');
    const token = newSecret('sws');
    const expiresAt = new Date(Date.now() + this.sessionHours * 3600_000);
    await this.db.insertInto('sessions').values({ token_hash: sha256(token), user_id: u.id, expires_at: expiresAt }).execute();
    return { token, expiresAt, user: userView(u) };
  }

  async logout(token: string): Promise<void> {
    const h = sha256(token);
    this.cache.delete(h);
    await this.db.deleteFrom('sessions').where('token_hash', '=', h).execute();
  }

  async createToken(actor: Actor, userId: number, name: string): Promise<{ id: number; name: string; token: string }> {
    const token = newSecret('swt');
    return inTransaction(this.db, async (trx) => {
      const u = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!u) throw new AppError('not_found', `user ${userId} does not exist`, 'userId');
      const row = await trx.insertInto('api_tokens').values({ user_id: userId, name, token_hash: sha256(token) }).returning(['id', 'name']).executeTakeFirstOrThrow();
      await audit(trx, actor, 'token.create', 'api_token', row.id, null, { userId, name });
      return { id: row.id, name: row.name, token };
    });
  }

  async listTokens() {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.name', 'u.email as user', 'u.role', 't.created_at as createdAt', 't.last_used_at as lastUsedAt', 't.revoked_at as revokedAt'])
      .orderBy('t.id')
      .execute();
  }

  async revokeToken(actor: Actor, id: number): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const r = await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new AppError('not_found', `no active token ${id}`, 'id');
      await audit(trx, actor, 'token.revoke', 'api_token', id, null, null);
    });
    this.cache.clear();
  }

  /** The actor behind a session or API token, or null. */
  async authenticate(token: string): Promise<Actor | null> {
    const h = sha256(token);
    const now = Date.now();
    const hit = this.cache.get(h);
    if (hit && hit.until > now) return hit.actor;
    let row: { id: number; email: string; role: Role } | undefined;
    if (token.startsWith('sws_')) {
      row = await this.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['u.id', 'u.email', 'u.role'])
        .where('s.token_hash', '=', h)
        .where('s.expires_at', '>', new Date())
        .where('u.disabled', '=', false)
        .executeTakeFirst();
    } else if (token.startsWith('swt_')) {
      row = await this.db
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .select(['u.id', 'u.email', 'u.role'])
        .where('t.token_hash', '=', h)
        .where('t.revoked_at', 'is', null)
        .where('u.disabled', '=', false)
        .executeTakeFirst();
      if (row) await this.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('token_hash', '=', h).execute();
    }
    if (!row) return null;
    const actor: Actor = { id: row.id, label: row.email, role: row.role };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(h, { actor, until: now + AuthService.CACHE_MS });
    return actor;
  }
}

function userView(u: { id: number; email: string; name: string; role: Role; disabled: boolean; created_at: Date }): UserView {
  return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.created_at };
}
