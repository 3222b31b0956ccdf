// The CLI loads only the module of the command being run (src/cli/program.ts): its map must name every command
// each module registers, and only those.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { buildProgram, COMMAND_MODULES } from '../../src/cli/program.ts';

test('every command maps to the module that registers it, and the full program has them all', async () => {
  for (const [name, load] of Object.entries(COMMAND_MODULES)) {
    const p = new Command('x');
    (await load())(p);
    assert.ok(p.commands.some((c) => c.name() === name), `${name}'s module does not register ${name}`);
    for (const c of p.commands) assert.ok(COMMAND_MODULES[c.name()], `${c.name()} (registered with ${name}) is missing from COMMAND_MODULES`);
  }
  const all = await buildProgram(['node', 'shelfwise', '--help']);
  assert.deepEqual(all.commands.map((c) => c.name()).sort(), Object.keys(COMMAND_MODULES).sort());
  const one = await buildProgram(['node', 'shelfwise', 'source', 'list']);
  assert.deepEqual(one.commands.map((c) => c.name()).sort(), ['reconcile', 'source', 'webhook'], 'one module, registered once');
});
