import { serve as serveHttp } from '@hono/node-server';
import type { Command } from 'commander';
import { buildApp } from '../api/app.ts';
import { attachSockets } from '../api/sockets.ts';
import { bootstrap } from '../bootstrap.ts';
import { loadConfig } from '../config/config.ts';
import { demoAvailable, loadDemo } from '../demo/demo.ts';
import { replenishDemo } from '../demo/demo-replenishment.ts';
import { recordDemoVisitors } from '../demo/kiosk-demo.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import '../jobs/handlers.ts';
import { startWorker } from '../jobs/worker.ts';
import { log } from '../log.ts';
import { recommendServiceOf } from '../services/recommend.service.ts';

export function serveCommand(program: Command) {
  program
    .command('serve')
    .description('start the API and dashboard (loads the demo store on first start when the data sets are there)')
    .option('-p, --port <port>', 'port (default PORT or 8080)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig();
      if (opts.port) config.port = Number(opts.port);
      const services = await bootstrap(config);
      const admin = await services.auth.ensureAdmin('admin@shelfwise.local', process.env.SHELFWISE_ADMIN_PASSWORD);
      const empty = (await services.database.db.selectFrom('products').select('id').limit(1).execute()).length === 0;
      const app = buildApp(services);
      const server = serveHttp({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
        const url = `http://localhost:${info.port}`;
        console.log(`Shelfwise is running at ${url}  (database: ${services.database.kind === 'pglite' ? config.dbDir : 'PostgreSQL'})`);
        console.log(`API reference: ${url}/docs`);
        if (admin) {
          console.log(`\nFirst start: created the administrator.\n  email:    ${admin.email}\n  password: ${admin.password}`);
          console.log('  (shown once; change it under Users, or with `npx shelfwise user password admin@shelfwise.local`)\n');
        }
      });
      attachSockets(server as unknown as import('node:http').Server, services);
      startScheduler(services);
      // Recommendations train lazily on the first request when no model is stored (and right after a demo load).
      recommendServiceOf(services).lazyTrain = true;
      // Jobs (webhook deliveries, forecast jobs) run here unless separate `shelfwise worker` processes do it.
      const worker = process.env.SHELFWISE_SERVER_WORKER === '0' ? null : startWorker(services);
      if (empty && config.demo) {
        if (demoAvailable(config.dataDir)) {
          services.status.demo = 'loading';
          let lastLog = 0;
          loadDemo(services, config.dataDir, (p) => {
            services.status.demoProgress = p.message;
            // Every step goes to /api/health; the log gets a line every few seconds.
            if (Date.now() - lastLog > 3000) {
              lastLog = Date.now();
              log.info('demo', { step: p.message });
            }
          })
            .then((r) => {
              services.status.demo = 'loaded';
              services.status.demoProgress = undefined;
              console.log(`Demo store loaded in ${(r.ms / 1000).toFixed(1)} s: ${r.summary}`);
              void recommendServiceOf(services).trainInBackground('demo loaded');
              replenishDemo(services).catch((e) => log.error('demo forecast/replenishment failed', { error: String(e?.message ?? e) }));
              // Demographics: FASH1 visitors from the real face analyzer on UTKFace faces (~10-20 s CPU; logs its time).
              recordDemoVisitors(services).catch((e) => log.error('demo visitors failed', { error: String(e?.message ?? e) }));
            })
            .catch((e) => {
              services.status.demo = 'unavailable';
              services.status.demoProgress = String(e?.message ?? e);
              log.error('demo load failed', { error: String(e?.stack ?? e) });
            });
        } else {
          services.status.demo = 'unavailable';
          console.log(`No demo data at ${config.dataDir}: the store starts empty (see the onboarding page).`);
        }
      } else if (!empty) services.status.demo = 'loaded';
      const stop = async () => {
        server.close();
        await worker?.stop();
        await services.database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
