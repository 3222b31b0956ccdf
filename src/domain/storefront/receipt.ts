/** The order receipt as email-ready HTML: one table layout, inline styles only, no scripts or external assets. */
export interface ReceiptOrder {
  ref: string;
  name: string;
  email: string;
  address: string | null;
  status: string;
  paymentProvider: string;
  paymentStatus: string;
  currency: string;
  subtotal: number;
  total: number;
  refundedTotal: number;
  createdAt: Date | string;
  lines: { sku: string; name: string; qty: number; listPrice: number; unitPrice: number; refundedQty: number }[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const PAYMENT: Record<string, string> = { due: 'to pay in store / on delivery', paid: 'paid', pending: 'awaiting payment', failed: 'payment failed', refunded: 'refunded' };

export function receiptHtml(o: ReceiptOrder, shopName = 'Shelfwise shop'): string {
  const m = (x: number) => money(x, o.currency);
  const td = 'padding:8px 6px;border-bottom:1px solid #e5e5e5;font-size:14px;';
  const rows = o.lines
    .map(
      (l) => `<tr><td style="${td}">${esc(l.name)}<br><span style="color:#777;font-size:12px">${esc(l.sku)}</span></td>` +
        `<td style="${td}text-align:right">${l.qty}${l.refundedQty ? ` <span style="color:#b00">(${l.refundedQty} refunded)</span>` : ''}</td>` +
        `<td style="${td}text-align:right">${l.unitPrice < l.listPrice ? `<s style="color:#999">${m(l.listPrice)}</s> ` : ''}${m(l.unitPrice)}</td>` +
        `<td style="${td}text-align:right">${m(l.qty * l.unitPrice)}</td></tr>`,
    )
    .join('');
  const when = new Date(o.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  const savings = o.subtotal - o.total;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Receipt ${esc(o.ref)}</title></head>
<body style="margin:0;padding:0;background:#f6f4f0;font-family:Helvetica,Arial,sans-serif;color:#222">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f4f0"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 24px 8px"><h1 style="margin:0;font-size:22px">${esc(shopName)}</h1>
<p style="margin:8px 0 0;font-size:15px">Thank you, ${esc(o.name)}. Your order <strong>${esc(o.ref)}</strong> is ${esc(o.status)}.</p>
<p style="margin:4px 0 0;color:#666;font-size:13px">${esc(when)} UTC · ${esc(o.email)}${o.address ? ` · ${esc(o.address)}` : ''}</p></td></tr>
<tr><td style="padding:8px 24px"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><th align="left" style="${td}font-size:12px;color:#666">Item</th><th align="right" style="${td}font-size:12px;color:#666">Qty</th><th align="right" style="${td}font-size:12px;color:#666">Price</th><th align="right" style="${td}font-size:12px;color:#666">Amount</th></tr>
${rows}
${savings > 0.004 ? `<tr><td colspan="3" style="${td}text-align:right">You saved</td><td style="${td}text-align:right">${m(savings)}</td></tr>` : ''}
<tr><td colspan="3" style="${td}text-align:right;font-weight:bold">Total</td><td style="${td}text-align:right;font-weight:bold">${m(o.total)}</td></tr>
${o.refundedTotal > 0 ? `<tr><td colspan="3" style="${td}text-align:right;color:#b00">Refunded</td><td style="${td}text-align:right;color:#b00">−${m(o.refundedTotal)}</td></tr>` : ''}
</table></td></tr>
<tr><td style="padding:8px 24px 24px;font-size:13px;color:#444">Payment: ${esc(o.paymentProvider === 'in_store' ? 'pay in store / cash on delivery' : 'card')} — ${esc(PAYMENT[o.paymentStatus] ?? o.paymentStatus)}.</td></tr>
</table></td></tr></table></body></html>`;
}
