import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AGE_GROUPS } from '../domain/vision/age-groups.ts';
import { summarizeBy, summarizeFaces, trueAgeGroup, type FacePrediction, type LabelledFace } from '../domain/vision/face-eval.ts';
import { MultiVisitorTracker } from '../domain/vision/multi-visitor-tracker.ts';
import type { Visitor } from '../domain/vision/visitor-tracker.ts';
import { AppError } from '../errors.ts';
import { visionServiceOf } from '../services/vision.service.ts';
import { FaceAnalyzer } from '../vision/face-analyzer.ts';
import { readFrames } from '../vision/frame-source.ts';
import { decodeImage } from '../vision/image-decode.ts';
import { cliActor, withServices } from './run.ts';

function positive(v: string | undefined, field: string, def: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new AppError('invalid', `${field} must be a number above 0 and at most ${max}`, field);
  return n;
}

/** `shelfwise vision watch|eval|purge|settings`: other cameras, model evaluation, retention (docs/vision.md). */
export function visionCommand(program: Command) {
  const cmd = program.command('vision').description('camera features: watch a doorway camera, evaluate the face model, retention (docs/vision.md)');

  cmd
    .command('watch')
    .description('read a camera (video file, rtsp:// stream or /dev/videoN) with ffmpeg and record anonymous visitor events (footfall, age band, gender, dwell)')
    .requiredOption('--source <src>', 'FILE.mp4 | rtsp://… | /dev/video0')
    .requiredOption('--location <code>', 'the store the camera is in')
    .option('--zone <zone>', 'where in the store (e.g. ENT for the entrance)')
    .option('--fps <n>', 'frames analysed per second of video', '4')
    .option('--width <px>', 'frames are scaled down to at most this width', '640')
    .option('--json', 'print the summary as JSON')
    .action(async (o: { source: string; location: string; zone?: string; fps?: string; width?: string; json?: boolean }) => {
      const fps = positive(o.fps, 'fps', 4, 30);
      const width = Math.round(positive(o.width, 'width', 640, 3840));
      const zone = o.zone?.trim().slice(0, 40) || null;
      const live = /^rtsps?:\/\//i.test(o.source) || o.source.startsWith('/dev/');
      await withServices(async (s) => {
        const vision = visionServiceOf(s);
        const loc = await vision.cameraLocation(o.location); // refuses unknown stores and stores with the camera off
        const analyzer = await FaceAnalyzer.create();
        // Every face in view is its own visitor (a group is several). No head score is passed back per track: no
        // gender head ships (src/vision/gender-head.json); a configured descriptor head would run on every face here.
        const tracker = new MultiVisitorTracker();
        const t0 = Date.now();
        let faces = 0;
        let visitors = 0;
        let last = t0;
        const record = async (v: Visitor | null) => {
          if (!v) return;
          visitors += await vision.recordEvents([{ at: new Date(v.startedAt), location: loc.code, zone, source: 'camera', ageGroup: v.ageGroup, gender: v.gender, confidence: v.confidence, dwellMs: v.dwellMs }]);
          if (!o.json) console.log(`${new Date(v.startedAt).toISOString()}  visitor: ${v.gender}, ${v.ageGroup}, confidence ${v.confidence.toFixed(2)}, ${(v.dwellMs / 1000).toFixed(1)} s`);
        };
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        process.once('SIGTERM', () => stop.abort());
        // Frame time: the video's own clock (frame index / fps) from the start, so a file replays its timing.
        const r = await readFrames({ source: o.source, fps, width, dropWhenBusy: live }, async (jpeg, index) => {
          const found = await analyzer.analyze(jpeg);
          if (found.length > 0) faces++;
          last = t0 + Math.round((index * 1000) / fps);
          for (const v of tracker.update(found.map((f) => ({ box: f.box, pMale: f.pMale, ageYears: f.ageYears, weight: f.detectionScore })), last)) await record(v);
        }, stop.signal);
        for (const v of tracker.end()) await record(v);
        const summary = { location: loc.code, zone, frames: r.frames, analysed: r.analysed, dropped: r.dropped, framesWithFace: faces, visitors, seconds: Math.round((Date.now() - t0) / 100) / 10 };
        if (o.json) console.log(JSON.stringify(summary));
        else console.log(`${r.frames} frames read, ${r.analysed} analysed (${r.dropped} dropped while busy), ${faces} with a face; ${visitors} visitor event(s) recorded at ${loc.code}${zone ? `/${zone}` : ''}`);
      });
    });

  cmd
    .command('eval')
    .description('score the face model on labelled images: detection rate, gender accuracy, age MAE, per age group (issue-8 contract)')
    .requiredOption('--images <dir>', 'folder the label paths are relative to')
    .requiredOption('--labels <file>', 'CSV with file,age,gender (male/female)[,age_lo,age_hi]')
    .option('--pad <fraction>', 'border added around each image before detection (tight face crops need ~0.3)', '0.3')
    .option('--input-size <px>', 'tiny detector input size (160 suits padded crops, 320 camera frames)', '160')
    .option('--limit <n>', 'only the first n labelled images')
    .option('--json', 'print JSON only')
    .action(async (o: { images: string; labels: string; pad?: string; inputSize?: string; limit?: string; json?: boolean }) => {
      const pad = Number(o.pad ?? 0.3);
      if (!(pad >= 0 && pad <= 2)) throw new AppError('invalid', 'pad must be within 0..2', 'pad');
      const inputSize = Number(o.inputSize ?? 160);
      if (!Number.isInteger(inputSize) || inputSize % 32 !== 0 || inputSize < 96 || inputSize > 1024) throw new AppError('invalid', 'input-size must be a multiple of 32 from 96 to 1024', 'input-size');
      const rows = readLabels(o.labels).slice(0, o.limit ? positive(o.limit, 'limit', 1e9, 1e9) : undefined);
      const analyzer = await FaceAnalyzer.create({ inputSize });
      const preds: FacePrediction[] = [];
      for (const [i, r] of rows.entries()) {
        const t = process.cpuUsage();
        const faces = await analyzer.analyzeDetailed(decodeImage(readFileSync(join(o.images, r.file))), { pad });
        const c = process.cpuUsage(t);
        const f = faces[0];
        preds.push(f ? { detected: true, pMale: f.pMale, ageYears: f.ageYears, ms: (c.user + c.system) / 1000 } : { detected: false, ms: (c.user + c.system) / 1000 });
        if (!o.json && process.stderr.isTTY && i % 50 === 0) process.stderr.write(`\r${i}/${rows.length}`);
      }
      const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
      const pick = (s: ReturnType<typeof summarizeFaces>) => ({
        faces: s.faces, detected: s.detected, detection_rate: round(s.detection_rate), gender_accuracy: round(s.gender_accuracy),
        age_mae: round(s.age_mae), age_group_accuracy: round(s.age_group_accuracy), ms_per_image_median: round(s.ms_per_image_median),
      });
      const by = summarizeBy(rows, preds, (l) => trueAgeGroup(l));
      const byAgeGroup = Object.fromEntries(AGE_GROUPS.filter((g) => by[g]).map((g) => [g, pick(by[g])]));
      const out = { ...pick(summarizeFaces(rows, preds)), by_age_group: byAgeGroup };
      console.log(o.json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
    });

  cmd
    .command('purge')
    .description('delete the anonymous events older than the retention setting now (serve does it every 6 hours)')
    .action(async () =>
      withServices(async (s) => {
        const r = await visionServiceOf(s).purgeExpired(cliActor());
        console.log(`${r.deleted} event(s) older than ${r.retentionDays} days (before ${r.cutoff.toISOString()}) deleted`);
      }),
    );

  cmd
    .command('settings')
    .description('show or change the retention and the per-store camera switch')
    .option('--retention-days <n>', 'keep events this many days (default 90)')
    .option('--off <code>', 'switch camera features off for a store')
    .option('--on <code>', 'switch them back on')
    .action(async (o: { retentionDays?: string; off?: string; on?: string }) =>
      withServices(async (s) => {
        const v = visionServiceOf(s);
        const cur = await v.settings();
        if (o.retentionDays !== undefined || o.off || o.on) {
          const disabled = new Set(cur.disabledLocations);
          if (o.off) disabled.add(o.off);
          if (o.on) disabled.delete(o.on);
          const next = await v.updateSettings(cliActor(), {
            ...(o.retentionDays !== undefined ? { retentionDays: Number(o.retentionDays) } : {}),
            disabledLocations: [...disabled],
          });
          console.log(JSON.stringify(next));
        } else console.log(JSON.stringify(cur));
      }),
    );
}

function readLabels(path: string): (LabelledFace & { file: string })[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',').map((c) => c.trim().toLowerCase());
  const at = (n: string) => cols.indexOf(n);
  if (at('file') < 0 || at('age') < 0 || at('gender') < 0) throw new AppError('invalid', 'labels need the columns file,age,gender', 'labels');
  return lines.map((l, i) => {
    const c = l.split(',');
    const gender = c[at('gender')]?.trim().toLowerCase();
    if (gender !== 'male' && gender !== 'female') throw new AppError('invalid', `line ${i + 2}: gender must be male or female`, 'labels');
    const age = Number(c[at('age')]);
    const lo = at('age_lo') >= 0 && c[at('age_lo')] !== '' ? Number(c[at('age_lo')]) : undefined;
    const hi = at('age_hi') >= 0 && c[at('age_hi')] !== '' ? Number(c[at('age_hi')]) : undefined;
    if (!Number.isFinite(age) && (lo === undefined || hi === undefined)) throw new AppError('invalid', `line ${i + 2}: age is not a number`, 'labels');
    return { file: c[at('file')].trim(), age: Number.isFinite(age) ? age : ((lo as number) + (hi as number)) / 2, gender, ageLo: lo, ageHi: hi };
  });
}
