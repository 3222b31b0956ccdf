import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { AppError } from '../errors.ts';
import { demoAvailable, loadDemo } from '../demo/demo.ts';
import { recordDemoVisitors } from '../demo/kiosk-demo.ts';
import { withServices } from './run.ts';

export function demoCommand(program: Command) {
  program
    .command('demo')
    .description('load (or with --reload, replace everything but users with) the demo store from SHELFWISE_DATA')
    .option('--reload', 'clear the store first even if it has data')
    .action(async (o: { reload?: boolean }) => {
      const config = loadConfig();
      if (!demoAvailable(config.dataDir)) throw new AppError('not_found', `the demo data sets are not in ${config.dataDir} (set SHELFWISE_DATA; README: Demo data)`);
      await withServices(async (s) => {
        const has = (await s.database.db.selectFrom('products').select('id').limit(1).execute()).length > 0;
        if (has && !o.reload) throw new AppError('conflict', 'the store already has products: pass --reload to replace them with the demo');
        const r = await loadDemo(s, config.dataDir, (p) => process.stderr.isTTY ? process.stderr.write(`\r\x1b[K${p.message}`) : undefined);
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(`demo loaded in ${(r.ms / 1000).toFixed(1)} s: ${r.summary}`);
        // The reload cleared vision_events with the locations: record the demo visitors again.
        const v = await recordDemoVisitors(s);
        if (v) console.log(`demo visitors: ${v.events} events for FASH1 from ${v.analysed} UTKFace faces in ${v.seconds.toFixed(1)} s`);
      });
    });
}
