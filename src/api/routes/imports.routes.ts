import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.ts';
import { enqueueImport, listImports, MAX_IMPORT_BYTES } from '../../services/import-jobs.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code } from '../schemas.ts';

const Flag = z.enum(['true', 'false']).optional();

/** The file of a POST /api/imports: multipart field "file" (its name gives the format), or the raw body with ?fileName=. */
async function upload(c: Context<Env>, fileName: string | undefined): Promise<{ name: string; bytes: Uint8Array }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const f = form.file;
    if (!(f instanceof File)) throw new AppError('invalid', 'send the file as the multipart field "file"', 'file');
    return { name: fileName ?? f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
  }
  if (!fileName) throw new AppError('invalid', 'name the file (?fileName=sales.csv) or send it as the multipart field "file"', 'fileName');
  return { name: fileName, bytes: new Uint8Array(await c.req.arrayBuffer()) };
}

/** Imports from the dashboard as background jobs (issue 11); the CLI's `shelfwise import` does the same in the foreground. */
export function importRoutes(app: OpenAPIHono<Env>) {
  app.use(
    '/api/imports',
    bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: (c) => c.json({ error: `the file is larger than ${MAX_IMPORT_BYTES / 1048576} MB: import it with the CLI`, field: 'file' }, 413) }),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/imports',
        tags: ['imports'],
        summary:
          'Import products, stock counts or sales from a CSV or XLSX file (multipart field "file", or the raw body with ?fileName=). Runs as a job: follow it at /api/jobs/{id} (progress; the result lists every bad row with its line). All or nothing unless skipBad.',
        request: {
          query: z.object({
            kind: z.enum(['products', 'stock', 'sales']),
            location: Code.optional(),
            skipBad: Flag,
            allowNegative: Flag,
            dryRun: Flag,
            fileName: z.string().trim().min(1).max(200).optional(),
          }),
        },
      },
      201,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const f = await upload(c, q.fileName);
      const actor = c.get('actor')!;
      const r = await enqueueImport(c.get('services').database.db, actor, {
        kind: q.kind,
        fileName: f.name,
        content: f.bytes,
        options: { location: q.location, skipBad: q.skipBad === 'true', allowNegative: q.allowNegative === 'true', dryRun: q.dryRun === 'true' },
      });
      return c.json({ jobId: r.jobId, url: `/api/jobs/${r.jobId}` }, 201);
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/imports',
      tags: ['imports'],
      summary: 'Recent imports (CLI and dashboard), newest first: rows written, rows skipped, who, when, the job',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    }),
    async (c) => c.json({ items: await listImports(c.get('services').database.db, c.req.valid('query').limit) }, 200),
  );
}
