import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for PGlite. PGlite has one session, so every Kysely "connection" is that session held
 * under a FIFO lock until released: a transaction owns the database from BEGIN to COMMIT/ROLLBACK and no
 * other query can slip into it. (The npm `kysely-pglite` dialect shares the session between concurrent
 * transactions, so a rolled-back insert can survive — see ../shared/FINDINGS.md.)
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class Lock {
  #held = false;
  #waiters: (() => void)[] = [];
  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}

class PGliteDriver implements Driver {
  readonly #lock = new Lock();
  readonly #conn: PGliteConnection;
  constructor(private readonly pg: PGlite) {
    this.#conn = new PGliteConnection(pg);
  }
  async init(): Promise<void> {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#conn;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }
  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // A script of several statements (migrations) needs the simple protocol; everything else is prepared.
    if (compiled.parameters.length === 0 && /;\s*\S/.test(compiled.sql)) {
      const all = await this.pg.exec(compiled.sql);
      const last = all[all.length - 1];
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: BigInt(last?.affectedRows ?? 0) };
    }
    const r = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    return { rows: r.rows, numAffectedRows: r.affectedRows !== undefined ? BigInt(r.affectedRows) : undefined };
  }
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const r = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    for (let i = 0; i < r.rows.length; i += chunkSize) yield { rows: r.rows.slice(i, i + chunkSize) };
  }
}
