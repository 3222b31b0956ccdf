import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { SYSTEM } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const CUSTOMER_TOKEN_PREFIX = 'swc_';

export interface ShopCustomer {
  id: number;
  code: string;
  email: string;
  name: string | null;
}

/**
 * Shop accounts: customers with an email and an argon2id password, signed in with their own session tokens
 * (swc_…, stored as SHA-256 in customer_sessions). These never grant staff access: the dashboard's actor
 * comes from users/sessions only.
 */
export class CustomerAuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly sessionDays = 30,
  ) {}

  async signUp(u: { email: string; password: string; name?: string }): Promise<{ token: string; expiresAt: Date; customer: ShopCustomer }> {
    if (u.password.length < 8) throw new AppError('invalid', 'password must have at least 8 characters', 'password');
    const email = u.email.trim().toLowerCase();
    const hash = await argon2.hash(u.password, { type: argon2.argon2id });
    const customer = await inTransaction(this.db, async (trx) => {
      const taken = await trx.selectFrom('customers').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email)).where('password_hash', 'is not', null).executeTakeFirst();
      if (taken) throw new AppError('conflict', 'an account with this email already exists: sign in instead', 'email');
      const row = await trx
        .insertInto('customers')
        .values({ code: `web-${randomBytes(6).toString('hex')}`, email, name: u.name?.trim() || null, password_hash: hash })
        .returning(['id', 'code', 'email', 'name'])
        .executeTakeFirstOrThrow()
        .catch((e) => {
          if ((e as { code?: string }).code === '23505') throw new AppError('conflict', 'an account with this email already exists: sign in instead', 'email');
          throw e;
        });
      await audit(trx, { ...SYSTEM, label: `shop:${email}` }, 'customer.signup', 'customer', row.id, null, { email, name: row.name });
      return { id: row.id, code: row.code, email: row.email!, name: row.name };
    });
    return { ...(await this.newSession(customer.id)), customer };
  }

  async signIn(emailIn: string, password: string): Promise<{ token: string; expiresAt: Date; customer: ShopCustomer }> {
    const email = emailIn.trim().toLowerCase();
    const c = await this.db
      .selectFrom('customers')
      .select(['id', 'code', 'email', 'name', 'password_hash'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .where('password_hash', 'is not', null)
      .executeTakeFirst();
    // Same work for unknown emails, so timing does not tell which addresses have accounts.
    const ok = c?.password_hash ? await argon2.verify(c.password_hash, password) : (await argon2.hash(password), false);
    if (!c || !ok) throw new AppError('unauthorized', 'wrong email or password');
    return { ...(await this.newSession(c.id)), customer: { id: c.id, code: c.code, email: c.email!, name: c.name } };
  }

  async signOut(token: string): Promise<void> {
    await this.db.deleteFrom('customer_sessions').where('token_hash', '=', sha256(token)).execute();
  }

  async authenticate(token: string | undefined): Promise<ShopCustomer | null> {
    if (!token?.startsWith(CUSTOMER_TOKEN_PREFIX)) return null;
    const c = await this.db
      .selectFrom('customer_sessions as s')
      .innerJoin('customers as c', 'c.id', 's.customer_id')
      .select(['c.id', 'c.code', 'c.email', 'c.name'])
      .where('s.token_hash', '=', sha256(token))
      .where('s.expires_at', '>', new Date())
      .executeTakeFirst();
    return c ? { id: c.id, code: c.code, email: c.email!, name: c.name } : null;
  }

  private async newSession(customerId: number) {
    const token = `${CUSTOMER_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.sessionDays * 86_400_000);
    await this.db.insertInto('customer_sessions').values({ token_hash: sha256(token), customer_id: customerId, expires_at: expiresAt }).execute();
    return { token, expiresAt };
  }
}
