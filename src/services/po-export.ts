/** A purchase order as the supplier gets it: CSV (one row per line) or a one-page-per-40-lines PDF (pdfkit). */
import type { PurchaseOrderService } from './purchase-order.service.ts';

type Po = Awaited<ReturnType<PurchaseOrderService['get']>>;

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const orderLines = (po: Po) => po.lines.filter((l) => l.decision !== 'rejected');

export function poCsv(po: Po): string {
  const head = ['po', 'supplier', 'ship_to', 'expected_at', 'sku', 'supplier_sku', 'name', 'qty', 'unit_cost', 'line_total', 'currency'];
  const rows = orderLines(po).map((l) =>
    [po.number, po.supplier, po.location, po.expected_at ?? '', l.sku, l.supplier_sku ?? '', l.name, l.qty_ordered, Number(l.unit_cost).toFixed(4), (l.qty_ordered * Number(l.unit_cost)).toFixed(2), po.currency].map(cell).join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}

export async function poPdf(po: Po): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit'); // loaded on use: it costs ~0.3 s at start-up
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Purchase order ${po.number}`, Author: 'Shelfwise' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text(`Purchase order ${po.number}`);
    doc.moveDown(0.3).fontSize(10);
    doc.text(`Supplier: ${po.supplierName} (${po.supplier})${po.supplierEmail ? `, ${po.supplierEmail}` : ''}`);
    doc.text(`Ship to: ${po.location}    Status: ${po.status}    Expected: ${po.expected_at ?? '-'}`);
    if (po.approved_by) doc.text(`Approved by ${po.approved_by} on ${new Date(po.approved_at!).toISOString().slice(0, 10)}`);
    doc.moveDown();
    const cols = [40, 130, 330, 400, 470];
    const header = (y: number) => {
      doc.font('Helvetica-Bold');
      ['SKU', 'Description', 'Qty', 'Unit cost', 'Line total'].forEach((h, i) => doc.text(h, cols[i], y, { width: i === 1 ? 195 : 70, align: i >= 2 ? 'right' : 'left' }));
      doc.font('Helvetica');
    };
    let y = doc.y;
    header(y);
    y += 16;
    for (const l of orderLines(po)) {
      if (y > 770) {
        doc.addPage();
        y = 40;
        header(y);
        y += 16;
      }
      const total = l.qty_ordered * Number(l.unit_cost);
      doc.text(l.supplier_sku ?? l.sku, cols[0], y, { width: 85 });
      doc.text(l.name.slice(0, 40), cols[1], y, { width: 195 });
      doc.text(String(l.qty_ordered), cols[2], y, { width: 70, align: 'right' });
      doc.text(Number(l.unit_cost).toFixed(2), cols[3], y, { width: 70, align: 'right' });
      doc.text(total.toFixed(2), cols[4], y, { width: 70, align: 'right' });
      y += 16;
    }
    doc.font('Helvetica-Bold').text(`Total ${Number(po.total).toFixed(2)} ${po.currency}`, cols[3], y + 8, { width: 140, align: 'right' });
    doc.end();
  });
}
