import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (pure: no clock unless passed in).
 *
 * Shelfwise's own (outgoing webhooks, and the generic incoming format): header
 * `Shelfwise-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The receiver recomputes
 * the HMAC over the exact bytes it received, compares in constant time, and rejects a timestamp more than
 * `toleranceSec` away from its clock (a captured request cannot be replayed later).
 *
 * Shopify: `X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(secret, raw body))`. WooCommerce: the same scheme in
 * `X-WC-Webhook-Signature`. Neither carries a timestamp.
 */
export function signShelfwise(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export function verifyShelfwise(secret: string, body: string, header: string | undefined | null, nowSeconds: number, toleranceSec = 300): VerifyResult {
  if (!header) return { ok: false, reason: 'missing Shelfwise-Signature header' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1) return { ok: false, reason: 'Shelfwise-Signature must be t=<unix seconds>,v1=<hex>' };
  if (Math.abs(nowSeconds - t) > toleranceSec) return { ok: false, reason: `signature timestamp is ${Math.round(nowSeconds - t)} s away from now (tolerance ${toleranceSec} s)` };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return safeEqual(expected, v1, 'hex') ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

/** Shopify and WooCommerce: base64 HMAC-SHA256 of the raw body. */
export function base64Hmac(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function verifyBase64Hmac(secret: string, body: string | Buffer, header: string | undefined | null, name: string): VerifyResult {
  if (!header) return { ok: false, reason: `missing ${name} header` };
  return safeEqual(base64Hmac(secret, body), header.trim(), 'base64') ? { ok: true } : { ok: false, reason: `${name} does not match` };
}

function safeEqual(expected: string, given: string, enc: 'hex' | 'base64'): boolean {
  const a = Buffer.from(expected, enc);
  const b = Buffer.from(given, enc);
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
