/**
 * Big reads sent as one text of numbers (PGlite decodes one long string several times faster than the same numbers
 * as rows or arrays; the waste analysis and the forecast-vs-actual report read hundreds of thousands of values).
 */

/**
 * The numbers in a text of decimal numbers separated by spaces or commas (optional '-', digits, optional '.' and
 * digits; or what float8 prints besides: 1e-05, NaN, Infinity), in order. Up to 15 digits a number is (its digits as one
 * integer) / 10^decimals: one rounding, as Number() gives; longer ones and exponents go through Number().
 */
export function parseNumberList(t: string): Float64Array {
  let count = 1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 44) count++;
  }
  const out = new Float64Array(count);
  let n = 0;
  let i = 0;
  const len = t.length;
  while (i < len) {
    const start = i;
    let neg = false;
    if (t.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    let m = 0;
    let digits = 0;
    let scale = 1;
    let frac = false;
    let slow = false;
    for (; i < len; i++) {
      const c = t.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (frac) scale *= 10;
      } else if (c === 46) frac = true;
      else if (c === 32 || c === 44) break;
      else slow = true; // an exponent (1e-05), NaN, Infinity: Number() decides below
    }
    if (slow || digits > 15) {
      const word = t.slice(start, i);
      const v = Number(word);
      if (Number.isNaN(v) && word !== 'NaN') throw new Error(`unexpected number ${JSON.stringify(word)} at ${start} in a number list`);
      out[n++] = v;
    } else out[n++] = (neg ? -m : m) / scale;
    i++;
  }
  return n === count ? out : out.subarray(0, n);
}
