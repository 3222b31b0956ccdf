import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.ts';
import { creditLines, qualityReport, supplierQuality } from '../../services/inspection-quality.service.ts';
import { InspectionSettingsSchema } from '../../services/inspection-settings.ts';
import { inspectionServiceOf, MAX_PHOTO_BYTES } from '../../services/inspection.service.ts';
import type { Env } from '../context.ts';
import { defineRoute, IdempotencyHeader } from '../route.ts';
import { Code, PositiveQty, Sku } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const Id = z.object({ id: z.coerce.number().int().positive() });
const Sampling = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }).strict(),
  z.object({ mode: z.literal('sample'), n: z.number().int().min(1).max(10_000), acceptMax: z.number().int().min(0).max(10_000).default(0) }).strict(),
]);
const OpenBody = z
  .object({
    supplier: Code,
    sku: Sku,
    location: Code,
    qty: PositiveQty,
    sampling: Sampling.optional(),
    poId: z.number().int().positive().optional(),
    poLineId: z.number().int().positive().optional(),
    reference: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .openapi('InspectionBatch');
const Decision = z.object({ defective: z.boolean(), note: z.string().trim().max(500).optional() }).strict().openapi('InspectionDecision');
const Dispose = z
  .object({ action: z.enum(['return_to_supplier', 'write_off']), qty: PositiveQty, reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi('QuarantineDisposal');
/** A base64 body is 4/3 of the file, plus a little JSON around it. */
const MAX_BODY = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;

const svc = (c: Context<Env>) => inspectionServiceOf(c.get('services'));

/** The photo of a POST …/photos body: multipart field "photo", JSON {"image": base64 or data URL}, or raw image/* bytes. */
async function photoBytes(c: Context<Env>): Promise<Uint8Array> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const f = form.photo;
    if (!(f instanceof File)) throw new AppError('invalid', 'send the photo as the multipart field "photo"', 'photo');
    return new Uint8Array(await f.arrayBuffer());
  }
  if (type.startsWith('image/')) return new Uint8Array(await c.req.arrayBuffer());
  const body = z.object({ image: z.string().min(1) }).strict().safeParse(await c.req.json().catch(() => { throw new AppError('invalid', 'the request body is not valid JSON'); }));
  if (!body.success) throw new AppError('invalid', 'send {"image": "<base64 JPEG or PNG>"}, multipart field "photo", or an image/* body', 'image');
  const b64 = body.data.image.replace(/^data:image\/[a-z+.-]+;base64,/i, '');
  if (!/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/.test(b64)) throw new AppError('invalid', 'image is not base64', 'image');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Receiving inspection (issue 12): batches, photos, decisions, close, quarantine disposal, supplier quality, settings. */
export function inspectionRoutes(app: OpenAPIHono<Env>) {
  app.use(
    '/api/inspection/batches/:id/photos',
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `the photo is too large: at most ${MAX_PHOTO_BYTES / 1048576} MB`, field: 'photo' }, 413) }),
  );
  app.openapi(defineRoute('staff', { method: 'get', path: '/api/inspection/settings', tags: ['inspection'], summary: 'Inspection settings: default sampling plan, supplier alert threshold and window, photo keeping and retention' }), async (c) =>
    c.json(await svc(c).settings(), 200),
  );
  app.openapi(
    defineRoute('admin', { method: 'put', path: '/api/inspection/settings', tags: ['inspection'], summary: 'Change inspection settings (audited)', request: { body: json(InspectionSettingsSchema.partial().openapi('InspectionSettings')) } }),
    async (c) => c.json(await svc(c).updateSettings(c.get('actor')!, c.req.valid('json')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/inspection/batches',
      tags: ['inspection'],
      summary: 'Receiving inspection batches, newest first (filter: open/closed, supplier, with units still in quarantine)',
      request: { query: z.object({ status: z.enum(['open', 'closed']).optional(), supplier: Code.optional(), quarantined: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await svc(c).listBatches({ ...q, quarantined: q.quarantined === 'true' }) }, 200);
    },
  );
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/inspection/batches',
        tags: ['inspection'],
        summary: 'Start inspecting a receipt: supplier, SKU, target location, quantity received, sampling plan (default from settings), optional PO reference',
        request: { headers: IdempotencyHeader, body: json(OpenBody) },
      },
      201,
    ),
    async (c) => c.json(await svc(c).openBatch(c.get('actor')!, c.req.valid('json'), c.req.valid('header')['idempotency-key']), 201),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/inspection/batches/{id}', tags: ['inspection'], summary: 'One batch with its inspections (model call and final call), ledger movements and credit lines', request: { params: Id } }),
    async (c) => c.json(await svc(c).getBatch(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/inspection/batches/{id}/photos',
        tags: ['inspection'],
        summary: `Photo of one inspected unit, classified at once (defective?, p, confidence, region). Body: multipart field "photo", JSON {"image": base64}, or image/jpeg|png bytes; at most ${MAX_PHOTO_BYTES / 1048576} MB (400; a body beyond its base64 size is cut off with 413)`,
        request: { params: Id },
      },
      201,
    ),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(await svc(c).inspectPhoto(c.get('actor')!, id, await photoBytes(c)), 201);
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'post', path: '/api/inspection/batches/{id}/manual', tags: ['inspection'], summary: 'Record a unit judged without a photo (human call only)', request: { params: Id, body: json(Decision) } }, 201),
    async (c) => c.json(await svc(c).inspectManually(c.get('actor')!, c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('staff', { method: 'post', path: '/api/inspection/inspections/{id}/decision', tags: ['inspection'], summary: "The human's final call on an inspected unit: confirm or override the model (both are kept)", request: { params: Id, body: json(Decision) } }),
    async (c) => c.json(await svc(c).decide(c.get('actor')!, c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/inspection/inspections/{id}/photo', tags: ['inspection'], summary: 'The kept photo of an inspection (only when the store keeps photos, until it expires)', request: { params: Id } }),
    async (c) => {
      const p = await svc(c).photo(c.req.valid('param').id);
      return new Response(new Uint8Array(p.bytes), { status: 200, headers: { 'content-type': p.type, 'cache-control': 'private, max-age=3600' } }) as never;
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'post',
      path: '/api/inspection/batches/{id}/close',
      tags: ['inspection'],
      summary: 'Close a batch once every sampled unit has a final call: good units into the location, defective ones (or a rejected lot) into quarantine, in one transaction',
      request: { params: Id, headers: IdempotencyHeader },
    }),
    async (c) => c.json(await svc(c).close(c.get('actor')!, c.req.valid('param').id, c.req.valid('header')['idempotency-key']), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/inspection/batches/{id}/dispose',
      tags: ['inspection'],
      summary: 'Units leave quarantine: return_to_supplier (movement + credit-note line at the supplier cost) or write_off',
      request: { params: Id, headers: IdempotencyHeader, body: json(Dispose) },
    }),
    async (c) => c.json(await svc(c).dispose(c.get('actor')!, c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key']), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/inspection/quality',
      tags: ['inspection'],
      summary: 'Defect rate per supplier by week (with a 95 % interval) and per supplier × product over the period',
      request: { query: z.object({ supplier: Code.optional(), sku: Sku.optional(), weeks: z.coerce.number().int().min(1).max(260).default(26) }) },
    }),
    async (c) => c.json(await qualityReport(c.get('services').database.db, c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/suppliers/{code}/quality',
      tags: ['suppliers'],
      summary: "A supplier's defect rate at receiving inspection (alert window and all time), the threshold and any open alert: for purchase-order drafting",
      request: { params: z.object({ code: Code }) },
    }),
    async (c) => c.json(await supplierQuality(c.get('services').database.db, c.req.valid('param').code), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/inspection/credit-notes',
      tags: ['inspection'],
      summary: 'Credit-note lines from returns to suppliers (qty × unit cost, with the PO reference), newest first',
      request: { query: z.object({ supplier: Code.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
    }),
    async (c) => c.json({ items: await creditLines(c.get('services').database.db, c.req.valid('query')) }, 200),
  );
}
