import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { ROLES } from '../services/auth.service.ts';
import type { Role } from '../db/schema.ts';
import { cliActor, withServices } from './run.ts';

export function userCommand(program: Command) {
  const user = program.command('user').description('manage users and API tokens');
  user
    .command('add')
    .argument('<email>')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .option('-n, --name <name>', 'display name')
    .option('-p, --password <password>', 'at least 10 characters (default: a random one, printed)')
    .description('create a user (a kiosk user gets an API token instead of a password)')
    .action(async (email: string, o: { role: string; name?: string; password?: string }) => {
      if (!ROLES.includes(o.role as Role)) throw new AppError('invalid', `role must be one of ${ROLES.join(', ')}`, 'role');
      await withServices(async (s) => {
        const kiosk = o.role === 'kiosk';
        const password = kiosk ? undefined : (o.password ?? randomBytes(12).toString('base64url'));
        const u = await s.auth.createUser(cliActor(), { email, name: o.name, role: o.role as Role, password });
        console.log(`created ${u.role} ${u.email} (id ${u.id})`);
        if (kiosk) console.log(`kiosk token (shown once): ${(await s.auth.createToken(cliActor(), u.id, 'kiosk')).token}`);
        else if (!o.password) console.log(`password (shown once): ${password}`);
      });
    });
  user
    .command('password')
    .argument('<email>')
    .option('-p, --password <password>', 'the new password (default: a random one, printed)')
    .description('set a new password (ends the user’s sessions)')
    .action(async (email: string, o: { password?: string }) =>
      withServices(async (s) => {
        const u = (await s.auth.listUsers()).find((x) => x.email === email.toLowerCase());
        if (!u) throw new AppError('not_found', `no user ${email}`, 'email');
        const password = o.password ?? randomBytes(12).toString('base64url');
        await s.auth.updateUser(cliActor(), u.id, { password });
        console.log(o.password ? 'password changed' : `new password (shown once): ${password}`);
      }),
    );
  user
    .command('token')
    .argument('<email>')
    .option('-n, --name <name>', 'what the token is for', 'cli')
    .description('create an API token for a user (shown once)')
    .action(async (email: string, o: { name: string }) =>
      withServices(async (s) => {
        const u = (await s.auth.listUsers()).find((x) => x.email === email.toLowerCase());
        if (!u) throw new AppError('not_found', `no user ${email}`, 'email');
        console.log((await s.auth.createToken(cliActor(), u.id, o.name)).token);
      }),
    );
  user
    .command('list')
    .description('list users')
    .action(async () => withServices(async (s) => console.table((await s.auth.listUsers()).map((u) => ({ id: u.id, email: u.email, role: u.role, disabled: u.disabled })))));
}
