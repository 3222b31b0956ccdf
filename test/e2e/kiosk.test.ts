// The kiosk in Chromium with a fake camera playing a Y4M video made by ffmpeg from a real UTKFace face: /kiosk
// asks for the camera (auto-accepted), streams frames, and shows a gender, an age group and in-stock cards; the
// data dir holds no image afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { adultFaces, faceFrame, noFacesReason, OWNER, scanDirForImages, seededKioskDir, STORE } from '../helpers/kiosk.ts';
import { CHROMIUM, closeBrowser, ensureWebBuilt, LAUNCH_ARGS, screenshotDir, skipReason, startServer, watchConsole, type RunningServer, signIn } from './harness.ts';

const noFfmpeg = spawnSync(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-version'], { stdio: 'ignore' }).error ? 'ffmpeg not installed (apt-get install ffmpeg)' : null;
const skip = skipReason() ?? noFfmpeg ?? (noFacesReason || null);

describe('kiosk in chromium with a fake camera', { skip: skip ?? false, timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let dbDir: string;
  let token: string;
  let tmp: string;
  const face = skip ? null : adultFaces('female', 2)[1];

  before(async () => {
    ensureWebBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'shelfwise-kiosk-cam-'));
    const jpg = join(tmp, 'face.jpg');
    writeFileSync(jpg, faceFrame(face));
    const y4m = join(tmp, 'camera.y4m');
    const r = spawnSync(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', jpg, '-t', '2', '-r', '10', '-pix_fmt', 'yuv420p', y4m], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    ({ dbDir, token } = await seededKioskDir());
    [server, browser] = await Promise.all([
      startServer({ dbDir }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        timeout: 60_000,
        args: [...LAUNCH_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
      }),
    ]);
  });
  after(async () => {
    await closeBrowser(browser);
    await server?.stop();
    for (const d of [dbDir, tmp]) if (d) rmSync(d, { recursive: true, force: true });
  });

  test('/kiosk shows a gender, an age group and recommended in-stock items; no image left in the data dir', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const cons = watchConsole(page);
    await page.goto(`${server.url}/kiosk?token=${token}&location=${STORE}`);
    await page.getByText('Privacy:').waitFor();
    await page.locator('[data-testid="kiosk-gender"]').waitFor({ timeout: 60_000 });
    const gender = await page.locator('[data-testid="kiosk-gender"]').textContent();
    const age = await page.locator('[data-testid="kiosk-age"]').textContent();
    assert.equal(gender, 'Woman', `${face!.file} shown as ${gender}`);
    assert.match(age ?? '', /^(20-29|30-44|45-59)$/);
    assert.match((await page.locator('.kiosk-conf').textContent()) ?? '', /Confidence \d+ %/);
    const cards = page.locator('.kiosk-card');
    const n = await cards.count();
    assert.ok(n >= 6 && n <= 12, `${n} cards`);
    const skus = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-sku') ?? ''));
    for (const sku of skus) assert.doesNotMatch(sku, /-MEN-|-BOYS-/, `a woman was shown ${sku}`);
    assert.equal(await page.locator('.kiosk-card img').count(), 0, 'photo-free cards');
    assert.ok(!page.url().includes('token='), 'the token is taken out of the address bar');
    await page.screenshot({ path: join(screenshotDir(), 'kiosk-1280.png') });
    assert.deepEqual(cons.errors, []);
    await ctx.close(); // the screen goes away: the shopper is recorded as one anonymous event

    // The owner sees that visitor on the Demographics page (a count under k shows no age × gender breakdown).
    const owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const dash = await owner.newPage();
    const dashCons = watchConsole(dash);
    await signIn(dash, `${server.url}/demographics`, OWNER.email, OWNER.password);
    await dash.getByRole('heading', { name: 'Demographics' }).waitFor();
    // The event is written when the server sees the kiosk's socket close, which can land after this page's first
    // load: the page is live (server-sent events), so the visitor appears without a reload.
    const visitors = dash.locator('[data-kpi="Visitors"] .kpi-value', { hasText: /^1$/ });
    await visitors.waitFor({ timeout: 20_000 });
    assert.equal(await dash.locator('tr[data-age="20-29"] td').nth(1).textContent(), '<k');
    await dash.getByRole('heading', { name: 'Camera settings' }).waitFor();
    assert.equal(await dash.getByLabel('Retention in days').inputValue(), '90');
    await dash.screenshot({ path: join(screenshotDir(), 'demographics-1280.png'), fullPage: true });
    assert.deepEqual(dashCons.errors, []);
    await owner.close();
    await server.stop();
    assert.deepEqual(await scanDirForImages(dbDir), [], 'image traces in the data dir');
  });
});
