/** Statistics behind the elasticity model: within-item moments, pooled slopes, τ² estimators,
 * split-half calibration of standard errors, and the item → category → global empirical-Bayes posterior. */

export interface Moments {
  /** Parameters per item (intercept, slope, and a trend when partialled out): residual df = n − params. */
  params: number;
  cnt: Float64Array;
  meanX: Float64Array;
  meanY: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
}

/** Within-item sums of squares and cross-products of (x, y) centred per item. */
export function withinMoments(x: Float64Array, y: Float64Array, item: Int32Array, nItems: number, t?: Float64Array): Moments {
  const n = x.length;
  const cnt = new Float64Array(nItems);
  const mx = new Float64Array(nItems);
  const my = new Float64Array(nItems);
  for (let k = 0; k < n; k++) {
    const i = item[k];
    cnt[i]++;
    mx[i] += x[k];
    my[i] += y[k];
  }
  for (let i = 0; i < nItems; i++)
    if (cnt[i] > 0) {
      mx[i] /= cnt[i];
      my[i] /= cnt[i];
    }
  const sxx = new Float64Array(nItems);
  const sxy = new Float64Array(nItems);
  const syy = new Float64Array(nItems);
  for (let k = 0; k < n; k++) {
    const i = item[k];
    const dx = x[k] - mx[i];
    const dy = y[k] - my[i];
    sxx[i] += dx * dx;
    sxy[i] += dx * dy;
    syy[i] += dy * dy;
  }
  if (t) {
    // Partial out a per-item linear trend (Frisch–Waugh): S_ab·t = S_ab − S_at S_bt / S_tt.
    const mt = new Float64Array(nItems);
    for (let k = 0; k < n; k++) mt[item[k]] += t[k];
    for (let i = 0; i < nItems; i++) if (cnt[i] > 0) mt[i] /= cnt[i];
    const stt = new Float64Array(nItems);
    const sxt = new Float64Array(nItems);
    const syt = new Float64Array(nItems);
    for (let k = 0; k < n; k++) {
      const i = item[k];
      const dt = t[k] - mt[i];
      stt[i] += dt * dt;
      sxt[i] += (x[k] - mx[i]) * dt;
      syt[i] += (y[k] - my[i]) * dt;
    }
    for (let i = 0; i < nItems; i++)
      if (stt[i] > 0) {
        sxx[i] -= (sxt[i] * sxt[i]) / stt[i];
        sxy[i] -= (sxt[i] * syt[i]) / stt[i];
        syy[i] -= (syt[i] * syt[i]) / stt[i];
        if (sxx[i] < 1e-14) sxx[i] = 0;
      }
  }
  return { cnt, meanX: mx, meanY: my, sxx, sxy, syy, params: t ? 3 : 2 };
}

/** Pooled within estimator (one common slope) over a set of items. */
export function pooledOf(m: Moments, idx: number[]): { beta: number; se: number } {
  let a = 0;
  let b = 0;
  let c = 0;
  let nn = 0;
  for (const i of idx) {
    a += m.sxx[i];
    b += m.sxy[i];
    c += m.syy[i];
    nn += m.cnt[i];
  }
  if (!(a > 0)) return { beta: NaN, se: NaN };
  const beta = b / a;
  return { beta, se: Math.sqrt(Math.max(c - beta * b, 1e-12) / Math.max(1, nn - idx.length - 1) / a) };
}

export interface Posterior {
  raw: Float64Array;
  rawSe: Float64Array;
  itemMean: Float64Array;
  itemVar: Float64Array;
  ownWeight: Float64Array;
  catMean: Float64Array;
  catVar: Float64Array;
  gMean: number;
  tau2: number;
  tauC2: number;
}

/** Own estimates, then item → category → global normal–normal posteriors (DerSimonian–Laird τ²). */
export function empiricalBayes(
  m: Moments,
  itemCategory: Int32Array,
  members: number[][],
  minObs: number,
  minSd: number,
  minTau2: number,
  tauMode: 'dl' | 'robust' | number,
  seScale = 1,
): Posterior {
  const { cnt, sxx, sxy, syy } = m;
  const nItems = cnt.length;
  const nCat = members.length;
  const raw = new Float64Array(nItems).fill(NaN);
  const rawSe = new Float64Array(nItems).fill(NaN);
  for (let i = 0; i < nItems; i++) {
    if (cnt[i] < minObs || Math.sqrt(sxx[i] / cnt[i]) < minSd) continue;
    const b = sxy[i] / sxx[i];
    raw[i] = b;
    rawSe[i] = seScale * Math.sqrt(Math.max(syy[i] - b * sxy[i], 1e-12) / Math.max(1, cnt[i] - m.params) / sxx[i]);
  }
  const own: number[] = [];
  for (let i = 0; i < nItems; i++) if (!Number.isNaN(raw[i])) own.push(i);
  const tau2 =
    typeof tauMode === 'number'
      ? tauMode ** 2
      : Math.max(
          minTau2,
          (tauMode === 'dl' ? dlTau2 : robustTau2)(
            own.map((i) => raw[i]),
            own.map((i) => rawSe[i] ** 2),
            own.map((i) => itemCategory[i]),
          ),
        );
  const cm = new Float64Array(nCat).fill(NaN);
  const cv = new Float64Array(nCat).fill(NaN);
  for (let c = 0; c < nCat; c++) {
    let sw = 0;
    let swb = 0;
    for (const i of members[c])
      if (!Number.isNaN(raw[i])) {
        const w = 1 / (rawSe[i] ** 2 + tau2);
        sw += w;
        swb += w * raw[i];
      }
    if (sw > 0) {
      cm[c] = swb / sw;
      cv[c] = 1 / sw;
    }
  }
  const cats: number[] = [];
  for (let c = 0; c < nCat; c++) if (!Number.isNaN(cm[c])) cats.push(c);
  const tauC2 = Math.max(minTau2 / 4, dlTau2(cats.map((c) => cm[c]), cats.map((c) => cv[c]), cats.map(() => 0)));
  let gw = 0;
  let gwb = 0;
  for (const c of cats) {
    const w = 1 / (cv[c] + tauC2);
    gw += w;
    gwb += w * cm[c];
  }
  const gMean = gw > 0 ? gwb / gw : -1;
  const gVar = gw > 0 ? 1 / gw : 1;
  const catMean = new Float64Array(nCat);
  const catVar = new Float64Array(nCat);
  for (let c = 0; c < nCat; c++) {
    if (Number.isNaN(cm[c])) {
      catMean[c] = gMean;
      catVar[c] = gVar + tauC2;
    } else {
      const p = 1 / cv[c] + 1 / (tauC2 + gVar);
      catMean[c] = (cm[c] / cv[c] + gMean / (tauC2 + gVar)) / p;
      catVar[c] = 1 / p;
    }
  }
  const itemMean = new Float64Array(nItems);
  const itemVar = new Float64Array(nItems);
  const ownWeight = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const c = itemCategory[i];
    const priorVar = tau2 + catVar[c];
    if (Number.isNaN(raw[i])) {
      itemMean[i] = catMean[c];
      itemVar[i] = priorVar;
    } else {
      const p = 1 / rawSe[i] ** 2 + 1 / priorVar;
      ownWeight[i] = 1 / rawSe[i] ** 2 / p;
      itemMean[i] = ownWeight[i] * raw[i] + (1 - ownWeight[i]) * catMean[c];
      itemVar[i] = 1 / p;
    }
  }
  return { raw, rawSe, itemMean, itemVar, ownWeight, catMean, catVar, gMean, tau2, tauC2 };
}

/** DerSimonian–Laird between-estimate variance from estimates grouped around their group means. */
function dlTau2(est: number[], se2: number[], grp: number[]): number {
  const byG = new Map<number, number[]>();
  est.forEach((_, i) => {
    let a = byG.get(grp[i]);
    if (!a) byG.set(grp[i], (a = []));
    a.push(i);
  });
  let Q = 0;
  let df = 0;
  let c = 0;
  for (const idx of byG.values()) {
    if (idx.length < 2) continue;
    let sw = 0;
    let sw2 = 0;
    let swb = 0;
    for (const i of idx) {
      const w = 1 / se2[i];
      sw += w;
      sw2 += w * w;
      swb += w * est[i];
    }
    const m = swb / sw;
    for (const i of idx) Q += (est[i] - m) ** 2 / se2[i];
    df += idx.length - 1;
    c += sw - sw2 / sw;
  }
  return c > 0 ? Math.max(0, (Q - df) / c) : 0;
}

/**
 * Split-half calibration of the OLS standard errors: per item, slopes on the even and on the odd periods;
 * (b_even − b_odd)² / (se_even² + se_odd²) is χ²₁ when the standard errors are right, with median 0.455.
 * Returns sqrt(median ratio / 0.455), at least 1.
 */
export function splitHalfSeScale(
  x: Float64Array,
  y: Float64Array,
  item: Int32Array,
  period: Int32Array,
  nItems: number,
  minObs: number,
  minSd: number,
  t?: Float64Array,
): number {
  const half = (parity: number) => {
    // Plain loops, not TypedArray.from(…, fn): this runs 10× per fit over ~100k observations.
    let n = 0;
    for (let k = 0; k < x.length; k++) if ((period[k] & 1) === parity) n++;
    const hx = new Float64Array(n);
    const hy = new Float64Array(n);
    const hi = new Int32Array(n);
    const ht = t ? new Float64Array(n) : undefined;
    for (let k = 0, j = 0; k < x.length; k++)
      if ((period[k] & 1) === parity) {
        hx[j] = x[k];
        hy[j] = y[k];
        hi[j] = item[k];
        if (ht) ht[j] = t![k];
        j++;
      }
    const m = withinMoments(hx, hy, hi, nItems, ht);
    const b = new Float64Array(nItems).fill(NaN);
    const v = new Float64Array(nItems).fill(NaN);
    for (let i = 0; i < nItems; i++) {
      if (m.cnt[i] < Math.max(m.params + 1, minObs / 2) || Math.sqrt(m.sxx[i] / m.cnt[i]) < minSd) continue;
      b[i] = m.sxy[i] / m.sxx[i];
      v[i] = Math.max(m.syy[i] - b[i] * m.sxy[i], 1e-12) / Math.max(1, m.cnt[i] - m.params) / m.sxx[i];
    }
    return { b, v };
  };
  const e = half(0);
  const o = half(1);
  const ratios: number[] = [];
  for (let i = 0; i < nItems; i++) if (!Number.isNaN(e.b[i]) && !Number.isNaN(o.b[i])) ratios.push((e.b[i] - o.b[i]) ** 2 / (e.v[i] + o.v[i]));
  if (ratios.length < 10) return 1;
  return Math.max(1, Math.sqrt(medianOf(ratios) / 0.4549));
}

/** Robust between-estimate variance: (1.4826 · MAD of estimates around their group medians)² − median se². */
function robustTau2(est: number[], se2: number[], grp: number[]): number {
  const byG = new Map<number, number[]>();
  est.forEach((b, i) => {
    let a = byG.get(grp[i]);
    if (!a) byG.set(grp[i], (a = []));
    a.push(b);
  });
  const med = new Map<number, number>();
  for (const [g, a] of byG) med.set(g, medianOf(a));
  const dev = est.map((b, i) => Math.abs(b - med.get(grp[i])!));
  if (dev.length < 3) return 0;
  return Math.max(0, (1.4826 * medianOf(dev)) ** 2 - medianOf(se2));
}

function medianOf(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

