/**
 * Seeded randomness for the demo generator. Nothing here reads Math.random or the clock, so
 * the same seed always produces the same organisation, byte for byte.
 *
 * Every entity draws from its own stream (rngFor(seed, stream, index)) instead of one shared
 * sequence: a table can then be regenerated in any order, or one identity's grants recomputed
 * on demand, without replaying everything generated before it.
 */

/** murmur3's finaliser: a bijection on 32-bit integers with good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a, used to turn a stream name ("grants") into a number. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Seeds may exceed 32 bits (e.g. Date.now()); fold them instead of silently truncating. */
export function normaliseSeed(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  return fmix32(low ^ fmix32(high + 0x9e3779b9));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex32 = (w: number) => HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;

function uuidFromWords(w0: number, w1: number, w2: number, w3: number): string {
  const versioned = (w1 & 0xffff0fff) | 0x4000; // version 4 nibble
  const variant = ((w2 & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant bits
  const b = hex32(versioned >>> 0);
  const c = hex32(variant);
  return `${hex32(w0)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(w3)}`;
}

/** sfc32: small, fast, passes PractRand well beyond what a demo needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.float() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let target = this.float() * total;
    for (const [item, weight] of items) {
      target -= weight;
      if (target < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Index into a cumulative-weight table (see cumulative()). */
  pickCumulative(table: Float64Array): number {
    const total = table[table.length - 1]!;
    const target = this.float() * total;
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Index in [0, n) with P(k) roughly proportional to 1/(k+1)^s: a few low indices take most
   * draws, the way a few applications and a few people hold most of an enterprise's access.
   * Inverse CDF of the continuous approximation, so it costs O(1) for any n.
   */
  zipf(n: number, s = 1): number {
    const u = this.float();
    const x = Math.abs(s - 1) < 1e-9 ? Math.exp(u * Math.log(n + 1)) : ((n + 1) ** (1 - s) * u + (1 - u)) ** (1 / (1 - s));
    return Math.min(n - 1, Math.max(0, Math.floor(x) - 1));
  }

  /** Pareto-distributed weight >= 1 (heavy tail), capped so no single entity swallows a table. */
  pareto(alpha: number, cap: number): number {
    return Math.min(cap, (1 - this.float()) ** (-1 / alpha));
  }

  /** Log-uniform in [min, max]: short sessions are common, long ones rare. */
  logUniform(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }

  /** A v4-shaped uuid drawn from this stream (not guaranteed unique; see uuidFor). */
  uuid(): string {
    return uuidFromWords(this.next(), this.next(), this.next(), this.next());
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += hex32(this.next());
    return out.slice(0, length);
  }
}

/** An independent stream for one entity: (seed, stream name or number, a, b). */
export function rngFor(seed: number, stream: number, a = 0, b = 0): Rng {
  return new Rng(fmix32(seed ^ 0x5bd1e995), fmix32(stream + 0x27d4eb2d), fmix32(a ^ 0x165667b1) ^ b, fmix32(b + 0x85ebca77) ^ a);
}

/**
 * The uuid of entity (a, b) in a stream. Unique by construction, not by luck: (a, b) goes
 * through bijections (fmix32 per word, then two Feistel rounds across the words) into the
 * first and last words, so distinct pairs below 2^32 never collide; the middle words only make
 * the ids look random.
 */
export function uuidFor(seed: number, stream: number, a: number, b = 0): string {
  const k = fmix32(seed ^ stream);
  const x = fmix32((a ^ k) >>> 0);
  const y = fmix32((b ^ fmix32(k + 1)) >>> 0);
  const w0 = (x ^ fmix32(y + k)) >>> 0;
  const w3 = (y ^ fmix32(w0 ^ k)) >>> 0;
  const w1 = fmix32((w0 + Math.imul(w3, 0x9e3779b1) + k) >>> 0);
  const w2 = fmix32((w1 ^ w3 ^ stream) >>> 0);
  return uuidFromWords(w0, w1, w2, w3);
}

/** Running sum of weights, for Rng.pickCumulative. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += Math.max(0, weights[i]!);
    out[i] = sum;
  }
  return out;
}

/**
 * Splits total across entities in proportion to their weights so the parts sum to exactly
 * total: part i is round(total * C_i / W) - round(total * C_{i-1} / W) over the prefix sums
 * C. Returns the start offsets (length n + 1), so part i is starts[i + 1] - starts[i].
 */
export function apportion(total: number, weights: ArrayLike<number>): Float64Array {
  const starts = new Float64Array(weights.length + 1);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Math.max(0, weights[i]!);
  if (sum === 0) return starts;
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += Math.max(0, weights[i]!);
    starts[i + 1] = Math.round((total * running) / sum);
  }
  return starts;
}
