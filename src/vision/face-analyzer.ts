/**
 * Face detection + age + gender on one camera frame, on CPU (tfjs WASM backend, SIMD, one thread).
 *
 * PRIVACY BY DESIGN
 * - Input is an in-memory Buffer (JPEG/PNG bytes) or decoded pixels; output is numbers only (box,
 *   age, p(male), confidences). No image, crop, tensor or descriptor is written to disk, a database
 *   or a log by this module, and nothing is cached between calls: every tensor is disposed before
 *   `analyze` returns (tests check `tf.memory().numTensors` does not grow).
 * - `analyzeDetailed` can return the 512-value appearance features of each face for the evaluation
 *   bench; callers must keep them in memory only (they are face descriptors). The kiosk path
 *   (`analyze`) never exposes them.
 * - No identity: nothing is matched or tracked across visits. FaceRecognitionNet is loaded only when the
 *   gender head (gender-head.json) uses its descriptor; the descriptor then stays inside this module and
 *   only its one-number contribution (`headScore`) is returned, which the kiosk keeps for the person in
 *   front and drops when they leave (the shipped gender-head.json has no head: the net is not loaded).
 *
 * Models (weights ship in @vladmandic/face-api's tarball, loaded from node_modules):
 * - detector: TinyFaceDetector (default, fast) or SSD-MobileNetV1 (slower; see docs/vision.md),
 * - age/gender: face-api's AgeGenderNet (TinyXception backbone, 112×112 input), run on the face and
 *   its mirror image (test-time flip averaging), then calibrated p(male) and age (calibration.json,
 *   fitted on the training half of the full UTKFace set by bench/vision-head.bench.ts --write).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ageGroupOf, ageGroupProbability, type AgeGroup } from '../domain/vision/age-groups.ts';
import {
  applyAgeCalibration,
  applyGenderCalibration,
  IDENTITY_AGE,
  IDENTITY_CALIBRATION,
  type AgeCalibration,
  type GenderCalibration,
} from '../domain/vision/gender-calibration.ts';
import { applyGenderHeadWithScore, descriptorScore, headApplies, headUsesDescriptor, type GenderHead } from '../domain/vision/gender-head.ts';
import { decodeImage, padImage, type RgbImage } from './image-decode.ts';
import { faceApiModelDir, initTf, type FaceApi, type Tf } from './tf-runtime.ts';

export type DetectorKind = 'tiny' | 'ssd';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceResult {
  box: FaceBox;
  detectionScore: number;
  ageYears: number;
  ageGroup: AgeGroup;
  gender: 'male' | 'female';
  /** Calibrated probability of "male" (50/50 prior). */
  pMale: number;
  /** max(pMale, 1 − pMale). */
  genderConfidence: number;
  /** Probability that the true age is inside `ageGroup` under the fitted residual model. */
  ageConfidence: number;
  /**
   * Set when the gender head with a descriptor decided pMale: the descriptor's one-number contribution
   * (a scalar, not the descriptor). Passing it back for the same person (`analyze(bytes, { headScore })`)
   * skips the descriptor net on later frames.
   */
  headScore?: number;
}

/** FaceResult plus the uncalibrated network outputs (and, on request, the pooled features). */
export interface FaceResultDetailed extends FaceResult {
  pMaleRaw: number;
  ageRaw: number;
  features?: Float32Array;
  /** Per crop margin (flip-averaged) raw outputs, when `analyzeDetailed(..., { margins })` asked for several. */
  variants?: { margin: number; pMale: number; age: number }[];
  /** FaceRecognitionNet 128-d descriptor of the face (bench only, memory only; never stored). */
  descriptor?: Float32Array;
}

/** Calibration of one pipeline (detector + age/gender net). */
export interface PipelineCalibration {
  gender: GenderCalibration;
  age: AgeCalibration;
}

/** src/vision/calibration.json: per detector, with where it came from. */
export interface CalibrationFile {
  source: Record<string, unknown>;
  detectors: Partial<Record<DetectorKind, PipelineCalibration>>;
}

export interface FaceAnalyzerOptions {
  detector?: DetectorKind;
  /** Tiny detector input size (multiple of 32). 320 suits a downscaled kiosk frame. */
  inputSize?: number;
  minConfidence?: number;
  /** Analyse at most this many faces (largest first). */
  maxFaces?: number;
  /** Average the net over the face and its mirror image (+1 crop per face, ~+40 % age/gender time). */
  flip?: boolean;
  /** Extra context around the detector box, as a fraction of its side, before the 112×112 crop. */
  cropMargin?: number;
  /** Calibration: an object, a path to a calibration JSON, or null for raw network outputs. Default:
   * this detector's entry in src/vision/calibration.json (raw outputs when absent). */
  calibration?: PipelineCalibration | string | null;
  /** Gender head + crop margins: an object, a path to a head JSON, or null for none. Default:
   * src/vision/gender-head.json when present (only used with the tiny detector it was fitted for). */
  genderHead?: GenderHeadFile | string | null;
}

/** src/vision/gender-head.json (written by bench/vision-head.bench.ts --write). */
export interface GenderHeadFile {
  source: Record<string, unknown>;
  /** Crop margins for the age/gender net (outputs averaged); the head was fitted on these. */
  margins: number[];
  head: GenderHead | null;
}

export const DEFAULT_GENDER_HEAD_PATH = fileURLToPath(new URL('./gender-head.json', import.meta.url));

export function loadGenderHead(path = DEFAULT_GENDER_HEAD_PATH): GenderHeadFile | null {
  if (!existsSync(path)) return null;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as GenderHeadFile;
  if (!Array.isArray(raw.margins) || raw.margins.length === 0) throw new Error(`${path}: margins missing`);
  return raw;
}

export const DEFAULT_CALIBRATION_PATH = fileURLToPath(new URL('./calibration.json', import.meta.url));

export function loadCalibration(detector: DetectorKind, path = DEFAULT_CALIBRATION_PATH): PipelineCalibration | null {
  if (!existsSync(path)) return null;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as CalibrationFile;
  const c = raw.detectors?.[detector];
  return c && c.gender && c.age ? c : null;
}

interface FcParams { weights: unknown; bias: unknown }
interface AgeGenderInternals {
  params: { fc: { age: FcParams; gender: FcParams } };
  faceFeatureExtractor: { forwardInput(input: unknown): unknown };
}

const loaded = new Map<string, Promise<void>>();
function loadOnce(key: string, fn: () => Promise<void>): Promise<void> {
  let p = loaded.get(key);
  if (!p) {
    p = fn();
    loaded.set(key, p);
  }
  return p;
}

export class FaceAnalyzer {
  private constructor(
    private readonly faceapi: FaceApi,
    private readonly tf: Tf,
    readonly detector: DetectorKind,
    private readonly opts: Required<Omit<FaceAnalyzerOptions, 'calibration' | 'detector' | 'genderHead'>>,
    readonly calibration: PipelineCalibration,
    readonly genderHead: GenderHeadFile | null,
  ) {}

  /** Initialise the runtime and load the models (once per process; later calls reuse them). */
  static async create(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
    const { faceapi, tf } = await initTf();
    const detector = options.detector ?? 'tiny';
    const dir = faceApiModelDir();
    await Promise.all([
      detector === 'tiny'
        ? loadOnce('tiny', () => faceapi.nets.tinyFaceDetector.loadFromDisk(dir))
        : loadOnce('ssd', () => faceapi.nets.ssdMobilenetv1.loadFromDisk(dir)),
      loadOnce('ageGender', () => faceapi.nets.ageGenderNet.loadFromDisk(dir)),
    ]);
    let head: GenderHeadFile | null;
    if (options.genderHead === null || detector !== 'tiny') head = null;
    else if (typeof options.genderHead === 'string') head = loadGenderHead(options.genderHead);
    else head = options.genderHead ?? loadGenderHead();
    if (head?.head && headUsesDescriptor(head.head)) await loadOnce('recognition', () => faceapi.nets.faceRecognitionNet.loadFromDisk(dir));
    let cal: PipelineCalibration | null;
    if (options.calibration === null) cal = null;
    else if (typeof options.calibration === 'string') cal = loadCalibration(detector, options.calibration);
    else cal = options.calibration ?? loadCalibration(detector);
    return new FaceAnalyzer(
      faceapi,
      tf,
      detector,
      {
        inputSize: options.inputSize ?? 320,
        minConfidence: options.minConfidence ?? (detector === 'tiny' ? 0.4 : 0.4),
        maxFaces: options.maxFaces ?? 5,
        flip: options.flip ?? true,
        cropMargin: options.cropMargin ?? 0,
      },
      cal ?? { gender: IDENTITY_CALIBRATION, age: IDENTITY_AGE },
      head,
    );
  }

  /**
   * Runs the detector on a blank frame and the age/gender net on one dummy box, so the WASM kernels are
   * compiled before the first real frame (the first call is several times slower than the next ones).
   */
  async warmUp(width = 640, height = 480): Promise<void> {
    const input = this.tf.tensor3d(new Uint8Array(width * height * 3).fill(128), [height, width, 3], 'int32');
    try {
      await this.faceapi.detectAllFaces(input as never, new this.faceapi.TinyFaceDetectorOptions({ inputSize: this.opts.inputSize, scoreThreshold: this.opts.minConfidence }));
      await this.ageGender(input, width, height, [{ x: width / 3, y: height / 3, width: width / 3, height: height / 3 }], false);
    } finally {
      input.dispose();
    }
  }

  /** Kiosk entry point: JPEG/PNG bytes in, faces out (largest first). */
  async analyze(image: Uint8Array, opts: { headScore?: number } = {}): Promise<FaceResult[]> {
    const faces = await this.analyzeDetailed(decodeImage(image), opts.headScore === undefined ? {} : { headScores: [opts.headScore] });
    return faces.map(({ pMaleRaw: _p, ageRaw: _a, features: _f, variants: _v, descriptor: _d, ...f }) => f);
  }

  /**
   * Decoded pixels in, faces out (largest first) with raw outputs too. `pad` adds a black border of
   * that fraction first (for tight face crops); returned boxes are in the caller's coordinates.
   */
  async analyzeDetailed(
    img: RgbImage,
    opts: {
      pad?: number;
      withFeatures?: boolean;
      /** Crop margins for the age/gender net; default: the gender head file's, else [cropMargin]. */
      margins?: number[];
      withDescriptor?: boolean;
      /** Known descriptor scores per face index (largest first), e.g. the tracked visitor's from an earlier frame. */
      headScores?: (number | undefined)[];
    } = {},
  ): Promise<FaceResultDetailed[]> {
    const { tf, faceapi } = this;
    const { image, offset } = opts.pad ? padImage(img, opts.pad) : { image: img, offset: 0 };
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const detectorOptions =
        this.detector === 'tiny'
          ? new faceapi.TinyFaceDetectorOptions({ inputSize: this.opts.inputSize, scoreThreshold: this.opts.minConfidence })
          : new faceapi.SsdMobilenetv1Options({ minConfidence: this.opts.minConfidence, maxResults: 20 });
      const dets = await faceapi.detectAllFaces(input as never, detectorOptions);
      const boxes = dets
        .map((d) => ({ score: d.score, x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }))
        .filter((b) => b.width > 4 && b.height > 4)
        .sort((a, b) => b.width * b.height - a.width * a.height)
        .slice(0, this.opts.maxFaces);
      if (boxes.length === 0) return [];
      const margins = opts.margins ?? this.genderHead?.margins ?? [this.opts.cropMargin];
      const preds = await this.ageGender(input, image.width, image.height, boxes, opts.withFeatures ?? false, margins);
      const head = this.genderHead?.head ?? null;
      const inHead = preds.map((p) => head !== null && headApplies(head, p.age));
      // The descriptor net runs only for faces the head needs it for and whose score is not known yet.
      const needDesc = boxes.map((_, i) => opts.withDescriptor || (inHead[i] && headUsesDescriptor(head!) && opts.headScores?.[i] === undefined));
      const descIdx = boxes.map((_, i) => i).filter((i) => needDesc[i]);
      const descs: (Float32Array | undefined)[] = new Array(boxes.length);
      if (descIdx.length) {
        const d = await this.descriptors(input, image.width, image.height, descIdx.map((i) => boxes[i]));
        descIdx.forEach((i, k) => (descs[i] = d[k]));
      }
      return boxes.map((b, i) => {
        const p = preds[i];
        let pMale = applyGenderCalibration(this.calibration.gender, p.pMale);
        let headScore: number | undefined;
        if (inHead[i]) {
          if (headUsesDescriptor(head!)) headScore = opts.headScores?.[i] ?? descriptorScore(head!, descs[i]!);
          pMale = applyGenderHeadWithScore(head!, { pMaleRaw: p.pMale, ageRaw: p.age }, headScore ?? 0);
        }
        const ageYears = applyAgeCalibration(this.calibration.age, p.age);
        const ageGroup = ageGroupOf(ageYears);
        return {
          box: { x: b.x - offset, y: b.y - offset, width: b.width, height: b.height },
          detectionScore: b.score,
          ageYears,
          ageGroup,
          gender: pMale >= 0.5 ? 'male' : 'female',
          pMale,
          genderConfidence: Math.max(pMale, 1 - pMale),
          ageConfidence: ageGroupProbability(ageYears, ageGroup, this.calibration.age.sigmaLog),
          pMaleRaw: p.pMale,
          ageRaw: p.age,
          ...(headScore !== undefined ? { headScore } : {}),
          ...(p.features ? { features: p.features } : {}),
          ...(opts.margins ? { variants: p.variants } : {}),
          ...(opts.withDescriptor && descs[i] ? { descriptor: descs[i] } : {}),
        } satisfies FaceResultDetailed;
      });
    } finally {
      input.dispose();
    }
  }

  /** Normalised [y1, x1, y2, x2] square crop boxes around each face box, `margin` extra context per side. */
  private static squareBoxes(boxes: FaceBox[], width: number, height: number, margin: number): number[][] {
    return boxes.map((b) => {
      const side = Math.max(b.width, b.height) * (1 + margin);
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      // outside the image is filled with 0 like face-api's padToSquare
      return [(cy - side / 2) / (height - 1), (cx - side / 2) / (width - 1), (cy + side / 2) / (height - 1), (cx + side / 2) / (width - 1)];
    });
  }

  /**
   * One batch through AgeGenderNet: each face as a square 112×112 crop per margin in `margins` (default
   * [cropMargin]), plus the mirror image of each when `flip`. p(male) is averaged over all crops of a
   * face, age over the first margin's crops only; `variants` keeps the flip-averaged outputs per margin.
   */
  private async ageGender(
    input: ReturnType<Tf['tensor3d']>,
    width: number,
    height: number,
    boxes: FaceBox[],
    withFeatures: boolean,
    margins: number[] = [this.opts.cropMargin],
  ): Promise<{ age: number; pMale: number; features?: Float32Array; variants: { margin: number; pMale: number; age: number }[] }[]> {
    const { tf, faceapi } = this;
    const net = faceapi.nets.ageGenderNet as unknown as AgeGenderInternals;
    const { fc } = net.params;
    const n = boxes.length;
    const flip = this.opts.flip;
    const nm = margins.length;
    // crop order: margin-major, face-minor; then the mirrored copies in the same order
    const cropBoxes = margins.flatMap((m) => FaceAnalyzer.squareBoxes(boxes, width, height, m));
    const crops = tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(input, 'float32'), 0) as never;
      const c = tf.image.cropAndResize(batch, tf.tensor2d(cropBoxes), tf.tensor1d(new Array(cropBoxes.length).fill(0), 'int32'), [112, 112]);
      return flip ? tf.concat([c, tf.reverse(c, 2)], 0) : c;
    });
    const parts = tf.unstack(crops);
    crops.dispose();
    const netInput = new faceapi.NetInput(parts as never);
    const out = tf.tidy(() => {
      const feat = net.faceFeatureExtractor.forwardInput(netInput) as never;
      const pooled = tf.reshape(tf.avgPool(feat, [7, 7], [2, 2], 'valid'), [parts.length, -1]);
      const age = tf.add(tf.matMul(pooled, fc.age.weights as never), fc.age.bias as never);
      const gender = tf.softmax(tf.add(tf.matMul(pooled, fc.gender.weights as never), fc.gender.bias as never));
      return { pooled, age, gender };
    });
    for (const t of parts) t.dispose();
    const [ageData, genderData, featData] = await Promise.all([
      out.age.data(),
      out.gender.data(),
      withFeatures ? out.pooled.data() : Promise.resolve(null),
    ]);
    const dim = out.pooled.shape[1] as number;
    out.age.dispose();
    out.gender.dispose();
    out.pooled.dispose();
    const perMargin = n * nm;
    const res: { age: number; pMale: number; features?: Float32Array; variants: { margin: number; pMale: number; age: number }[] }[] = [];
    for (let i = 0; i < n; i++) {
      const variants = margins.map((margin, mi) => {
        const idx = flip ? [mi * n + i, perMargin + mi * n + i] : [mi * n + i];
        let age = 0, pm = 0;
        for (const j of idx) {
          age += ageData[j] / idx.length;
          pm += genderData[j * 2] / idx.length; // column 0 = male
        }
        return { margin, pMale: pm, age };
      });
      // age from the first (primary) margin only: wider crops made the age worse (bench/vision-head.bench.ts)
      const age = variants[0].age;
      const pMale = variants.reduce((a, v) => a + v.pMale, 0) / nm;
      let features: Float32Array | undefined;
      if (featData) {
        // pooled features of the first margin's crops (flip-averaged)
        const idx = flip ? [i, perMargin + i] : [i];
        features = new Float32Array(dim);
        for (const j of idx) for (let d = 0; d < dim; d++) features[d] += (featData as Float32Array)[j * dim + d] / idx.length;
      }
      res.push({ age, pMale, variants, ...(features ? { features } : {}) });
    }
    return res;
  }

  /**
   * FaceRecognitionNet (ResNet-34-like, 150×150) descriptor of each face: a square crop of the detector
   * box. ~70 ms CPU per face, so the kiosk runs it at most once per visitor (see docs/vision.md). The
   * descriptor is returned to the caller in memory only; this module never stores or logs it.
   */
  private async descriptors(input: ReturnType<Tf['tensor3d']>, width: number, height: number, boxes: FaceBox[]): Promise<Float32Array[]> {
    const { tf, faceapi } = this;
    await loadOnce('recognition', () => faceapi.nets.faceRecognitionNet.loadFromDisk(faceApiModelDir()));
    const cropBoxes = FaceAnalyzer.squareBoxes(boxes, width, height, 0);
    const crops = tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(input, 'float32'), 0) as never;
      return tf.image.cropAndResize(batch, tf.tensor2d(cropBoxes), tf.tensor1d(new Array(boxes.length).fill(0), 'int32'), [150, 150]);
    });
    const parts = tf.unstack(crops);
    crops.dispose();
    const out = tf.tidy(() => faceapi.nets.faceRecognitionNet.forwardInput(new faceapi.NetInput(parts as never) as never) as never) as ReturnType<Tf['tensor2d']>;
    for (const t of parts) t.dispose();
    const data = (await out.data()) as Float32Array;
    out.dispose();
    const dim = data.length / boxes.length;
    return boxes.map((_, i) => data.slice(i * dim, (i + 1) * dim));
  }

  /** Live tensor count (for leak checks). */
  numTensors(): number {
    return this.tf.memory().numTensors;
  }
}
