import type { AgeGroup as RecAgeGroup, Gender as RecGender } from '../domain/recommend/demographic.ts';
import { AGE_GROUPS, type AgeGroup } from '../domain/vision/age-groups.ts';
import { VisitorTracker, type Visitor } from '../domain/vision/visitor-tracker.ts';
import type { FaceResult } from '../vision/face-analyzer.ts';
import type { AppServices } from './index.ts';
import { recommendServiceOf, type RecommendedItem } from './recommend.service.ts';
import { visionServiceOf, type NewVisionEvent } from './vision.service.ts';

/** A photo-free card on the kiosk screen. */
export interface KioskItem {
  productId: number;
  sku: string;
  name: string;
  colour: string | null;
  size: string | null;
  price: number;
  available: number;
  /** Where to find it: department › type (the catalog's category and article type). */
  where: string;
  reason: string;
}

export interface KioskPerson {
  gender: 'male' | 'female';
  ageGroup: AgeGroup;
  /** Smoothed gender confidence (0.5..1). */
  confidence: number;
  /** P(true age in the shown band), from the latest frame. */
  ageConfidence: number;
  dwellMs: number;
}

/** What the server answers to every analysed frame. */
export interface KioskReply {
  type: 'estimate';
  seq: number;
  /** Server time from receiving the frame to this reply (ms). */
  ms: number;
  faces: number;
  mode: 'person' | 'attract';
  person: KioskPerson | null;
  /** Present only when the cards change (a new profile, the attract loop, or a refresh). */
  items?: KioskItem[];
  itemsFor?: string;
}

export const KIOSK_ITEMS = 12;
const sharedCards = new WeakMap<AppServices, Map<string, Map<string, { at: number; items: KioskItem[] }>>>();
const ITEMS_TTL_MS = 60_000;
/** Below this smoothed confidence the kiosk does not filter by gender (children, unsure estimates). */
const GENDER_FILTER_MIN = 0.7;

/** The kiosk's age bands → the recommendation contract's coarser bands. */
export function recAgeGroup(g: AgeGroup): RecAgeGroup {
  return g === 'child' ? 'child' : g === 'teen' ? 'teen' : g === '60+' ? 'senior' : 'adult';
}

/**
 * One kiosk screen's state: smoothing over frames (the shown answer does not flicker), the current person
 * and their cards, and the anonymous event written when the person leaves (no face for 2 s) or the screen
 * disconnects. Holds no image: it receives the analyzer's numbers only.
 */
export class KioskSession {
  private tracker = new VisitorTracker();
  private lastAgeConfidence = 0;
  /**
   * The gender head's descriptor score of the person in front (one number, not a descriptor), kept while the
   * tracker holds that person so the descriptor net runs once per visitor; dropped when they leave.
   */
  private personHeadScore: number | undefined;
  private shownKey: string | null = null;
  private shownIds: number[] = [];
  private personItemIds = new Set<number>();
  private itemCache: Map<string, { at: number; items: KioskItem[] }>;
  /** Events written so far (for tests and logs). */
  recorded = 0;

  constructor(
    private readonly services: AppServices,
    readonly location: string,
    readonly zone: string | null,
    private readonly now: () => number = Date.now,
  ) {
    // Cards per profile are shared by the screens of one store (same stock, same answer) for a minute.
    const key = `${location}`;
    let perStore = sharedCards.get(services);
    if (!perStore) sharedCards.set(services, (perStore = new Map()));
    let c = perStore.get(key);
    if (!c) perStore.set(key, (c = new Map()));
    this.itemCache = c;
  }

  /**
   * Fetches the cards of every profile in the background, so the first frame of a new face is answered from
   * memory instead of waiting for a query (a face appears → cards in one frame's analysis time).
   */
  async prefetch(): Promise<void> {
    for (const g of AGE_GROUPS) for (const gender of ['female', 'male', 'unknown']) await this.items(`${gender}|${g}`);
  }

  /** What to pass to `analyze(bytes, { headScore })` for the next frame (undefined: compute it). */
  get headScore(): number | undefined {
    return this.personHeadScore;
  }

  /** The first cards a screen shows: the attract loop. */
  async hello(): Promise<KioskItem[]> {
    const items = await this.items('attract');
    this.shownKey = 'attract';
    this.shownIds = items.map((i) => i.productId);
    return items;
  }

  /** One analysed frame (faces largest first) → the reply. `receivedAt` is when the frame arrived. */
  async onFaces(seq: number, faces: FaceResult[], receivedAt: number): Promise<KioskReply> {
    const t = this.now();
    const face = faces[0] ?? null;
    if (face) this.lastAgeConfidence = face.ageConfidence;
    const { estimate: est, left, started } = this.tracker.update(face ? { pMale: face.pMale, ageYears: face.ageYears, weight: face.detectionScore } : null, t);
    if (started || !est.present) this.personHeadScore = undefined;
    if (est.present && face?.headScore !== undefined) this.personHeadScore ??= face.headScore;
    if (left) await this.record(left);
    if (started) this.personItemIds = new Set();
    const person: KioskPerson | null =
      est.present && est.gender && est.ageGroup
        ? { gender: est.gender, ageGroup: est.ageGroup, confidence: est.genderConfidence, ageConfidence: this.lastAgeConfidence, dwellMs: est.dwellMs }
        : null;
    const key = person ? `${person.confidence >= GENDER_FILTER_MIN ? person.gender : 'unknown'}|${person.ageGroup}` : 'attract';
    const reply: KioskReply = { type: 'estimate', seq, ms: 0, faces: faces.length, mode: person ? 'person' : 'attract', person };
    const cached = this.itemCache.get(key);
    if (key !== this.shownKey || !cached || t - cached.at > ITEMS_TTL_MS) {
      const items = await this.items(key);
      if (key !== this.shownKey || items.map((i) => i.productId).join() !== this.shownIds.join()) {
        reply.items = items;
        reply.itemsFor = key;
      }
      this.shownKey = key;
      this.shownIds = items.map((i) => i.productId);
    }
    if (person) for (const id of this.shownIds) this.personItemIds.add(id);
    reply.ms = Math.max(0, this.now() - receivedAt);
    return reply;
  }

  /** The screen disconnected: record whoever was in front of it. */
  async close(): Promise<void> {
    const v = this.tracker.end();
    if (v) await this.record(v);
  }

  private async record(v: Visitor): Promise<void> {
    const ev: NewVisionEvent = {
      at: new Date(v.startedAt),
      location: this.location,
      zone: this.zone,
      source: 'kiosk',
      ageGroup: v.ageGroup,
      gender: v.gender,
      confidence: v.confidence,
      dwellMs: v.dwellMs,
      recommended: [...this.personItemIds].slice(0, 50),
    };
    this.recorded += await visionServiceOf(this.services).recordEvents([ev]);
  }

  private async items(key: string): Promise<KioskItem[]> {
    const hit = this.itemCache.get(key);
    if (hit && this.now() - hit.at <= ITEMS_TTL_MS) return hit.items;
    const rec = recommendServiceOf(this.services);
    let raw: RecommendedItem[];
    // Attract loop: the same contract with no demographic = the most popular items in stock here.
    if (key === 'attract') raw = await rec.forDemographic({ gender: 'unknown', ageGroup: 'unknown', location: this.location, limit: KIOSK_ITEMS });
    else {
      const [gender, ageGroup] = key.split('|') as [RecGender, AgeGroup];
      raw = await rec.forDemographic({ gender, ageGroup: recAgeGroup(ageGroup), location: this.location, limit: KIOSK_ITEMS });
    }
    const items = await this.withPlaces(raw);
    this.itemCache.set(key, { at: this.now(), items });
    return items;
  }

  private async withPlaces(raw: RecommendedItem[]): Promise<KioskItem[]> {
    if (!raw.length) return [];
    const db = this.services.database.db;
    const rows = await db.selectFrom('products').select(['id', 'category', 'subcategory', 'article_type']).where('id', 'in', raw.map((r) => r.productId)).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return raw.map((r) => {
      const p = byId.get(r.productId);
      const where = [p?.category ?? r.category, p?.article_type ?? p?.subcategory].filter(Boolean).join(' › ');
      return { productId: r.productId, sku: r.sku, name: r.name, colour: r.colour, size: r.size, price: r.price, available: r.available, where, reason: r.reason };
    });
  }
}
