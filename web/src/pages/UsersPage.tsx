import { useState, type FormEvent } from 'react';
import { api, ApiError, type Role } from '../api.ts';
import { FieldError, fieldOf, messageOf } from '../components/FieldError.tsx';
import { fmtDate } from '../format.ts';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}
const ROLES: Role[] = ['admin', 'manager', 'staff', 'kiosk'];

export default function UsersPage() {
  useTitle('Users');
  const { me } = useSession();
  const users = useApi<{ items: User[] }>('/api/users');
  const [error, setError] = useState<ApiError | null>(null);
  const [rowError, setRowError] = useState('');
  const [msg, setMsg] = useState('');

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const password = String(f.get('password') ?? '');
    setError(null);
    setMsg('');
    try {
      const u = await api<User>('/api/users', {
        method: 'POST',
        body: { email: String(f.get('email') ?? '').trim(), name: String(f.get('name') ?? '').trim() || undefined, role: f.get('role'), password: password || undefined },
      });
      setMsg(`Created ${u.email} (${u.role}).`);
      form.reset();
      users.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  }
  async function patch(u: User, body: Partial<Pick<User, 'role' | 'disabled'>>) {
    setRowError('');
    setMsg('');
    try {
      await api(`/api/users/${u.id}`, { method: 'PATCH', body });
      setMsg(`Updated ${u.email}.`);
      users.reload();
    } catch (err) {
      setRowError(`${u.email}: ${(err as Error).message}`);
    }
  }
  const aria = (name: string) => ({ 'aria-invalid': fieldOf(error) === name || undefined, 'aria-describedby': `u-${name}-error` });
  const general = error && !['email', 'name', 'role', 'password'].includes(fieldOf(error) ?? '') ? messageOf(error) : '';
  return (
    <>
      <h1>Users and roles</h1>
      <p className="ok" role="status">{msg}</p>
      {(users.error || rowError) && <p className="err" role="alert">{users.error?.message ?? rowError}</p>}
      <div className="card table-card">
        <table className="data" aria-busy={users.loading}>
          <thead>
            <tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Created</th></tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <tr key={u.id} className={u.disabled ? 'muted' : undefined}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>
                  <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === me?.id} onChange={(e) => void patch(u, { role: e.target.value as Role })}>
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td>
                <td>
                  <button type="button" className="secondary small" disabled={u.id === me?.id} onClick={() => void patch(u, { disabled: !u.disabled })}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                  {u.disabled && <span className="tag">disabled</span>}
                </td>
                <td className="nowrap">{fmtDate(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card narrow" aria-labelledby="new-user">
        <h2 id="new-user">Add a user</h2>
        <form className="stack" onSubmit={create} noValidate>
          <label>Email<input name="email" type="email" autoComplete="off" {...aria('email')} /><FieldError id="u-email" name="email" error={error} /></label>
          <label>Name<input name="name" {...aria('name')} /><FieldError id="u-name" name="name" error={error} /></label>
          <label>
            Role
            <select name="role" defaultValue="staff" {...aria('role')}>{ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
            <FieldError id="u-role" name="role" error={error} />
          </label>
          <label>Password (10+ characters; none for kiosk users)<input name="password" type="password" autoComplete="new-password" {...aria('password')} /><FieldError id="u-password" name="password" error={error} /></label>
          {general && <p className="err" role="alert">{general}</p>}
          <button type="submit">Create user</button>
        </form>
      </section>
    </>
  );
}
