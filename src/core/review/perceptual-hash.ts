/**
 * A 64-bit perceptual hash (pHash): the 8×8 lowest frequencies of the 2-D DCT of the grey
 * image, each bit set when its coefficient is above their median. Re-encoding, resizing and a
 * shift of a pixel or two barely move these frequencies, so copies differ in a few bits,
 * while different pictures differ in about half of them.
 */

const BITS = 8;

/** The hash of `size`×`size` RGB pixels (row-major, 3 bytes a pixel), as 16 hex digits. */
export function perceptualHash(rgb: Uint8Array, size: number): string {
  if (rgb.length !== size * size * 3) throw new Error(`perceptualHash: ${rgb.length} bytes is not ${size}×${size} RGB`);
  const grey = new Float64Array(size * size);
  for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
  const basis = dctBasis(size);
  // Separable DCT-II, only the low rows and columns that the hash keeps.
  const rowsDone = new Float64Array(BITS * size);
  for (let u = 0; u < BITS; u++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let y = 0; y < size; y++) s += basis[u * size + y]! * grey[y * size + x]!;
      rowsDone[u * size + x] = s;
    }
  }
  const coefficients = new Float64Array(BITS * BITS);
  for (let u = 0; u < BITS; u++) {
    for (let v = 0; v < BITS; v++) {
      let s = 0;
      for (let x = 0; x < size; x++) s += basis[v * size + x]! * rowsDone[u * size + x]!;
      coefficients[u * BITS + v] = s;
    }
  }
  // The DC term is the mean brightness: left out of the median, as pHash does.
  const median = medianOf(Array.from(coefficients.subarray(1)));
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let b = 0; b < 4; b++) value = (value << 1) | (coefficients[nibble * 4 + b]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

/** Bits in which two hashes differ (0–64). */
export function hashDistance(a: string, b: string): number {
  return popcount(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

/** The hashes as pairs of 32-bit words, for comparing thousands of them quickly. */
export function hashWords(hashes: string[]): Uint32Array {
  const words = new Uint32Array(hashes.length * 2);
  hashes.forEach((h, i) => {
    words[i * 2] = parseInt(h.slice(0, 8), 16);
    words[i * 2 + 1] = parseInt(h.slice(8), 16);
  });
  return words;
}

export function popcount(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const bases = new Map<number, Float64Array>();

function dctBasis(size: number): Float64Array {
  let basis = bases.get(size);
  if (!basis) {
    basis = new Float64Array(BITS * size);
    for (let u = 0; u < BITS; u++) for (let x = 0; x < size; x++) basis[u * size + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * size));
    bases.set(size, basis);
  }
  return basis;
}

function medianOf(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
