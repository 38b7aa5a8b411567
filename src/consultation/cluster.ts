/**
 * Groups public-consultation comments that are copies or near-copies of one another, so staff
 * can answer a whole campaign (群发意见) at once and the adoption report can say how many
 * comments each answer covers. Pure computation: no I/O, no clock, no randomness.
 *
 * Pipeline:
 *  1. normalise every comment and group identical normalised texts (hash map);
 *  2. MinHash the character-shingle set of each distinct text long enough to be compared, and
 *     bucket them by LSH bands, so only texts that probably look alike are ever compared;
 *  3. verify candidates with the exact Jaccard similarity of the shingle sets — in each bucket
 *     against a few "leaders", then, for texts still alone, against their most likely
 *     bucket-mates — and merge accepted pairs with union-find (single linkage).
 * Every step is deterministic: fixed hash seeds, input-order tie-breaks, no Math.random.
 */

export interface ClusterInput {
  id: string;
  text: string;
}

export interface Cluster {
  /** The id of the representative: the earliest member in input order. */
  id: string;
  /** In input order. */
  memberIds: string[];
  /** True when all members normalise to the same text. */
  exact: boolean;
}

export interface ClusterOptions {
  /** Jaccard threshold on character shingles, in (0, 1]. Default 0.8. */
  similarity?: number;
  /** Shingle length in characters (code points). Default 2. */
  shingle?: number;
}

const DEFAULT_SIMILARITY = 0.8;

/**
 * Bigrams rather than trigrams: most Chinese words are two characters long, so bigrams already
 * capture word order, and each edited character destroys only 2 shingles instead of 3. For a
 * 60-character comment with three edited characters the bigram Jaccard to its template is about
 * 0.81 but the trigram Jaccard only 0.73, so trigrams would miss ordinary campaign edits at the
 * 0.8 threshold. The cost — unrelated texts sharing vocabulary score higher with bigrams — does
 * not matter at 0.8: different opinions on the same subject measure roughly 0.1–0.3.
 */
const DEFAULT_SHINGLE = 2;

/**
 * Below this normalised length only exact matches cluster. A short comment has so few shingles
 * that one edited character changes most of them, so Jaccard cannot tell an edit from a
 * different statement; and in short comments a single character carries the meaning
 * (同意 / 不同意, 支持 / 不支持), so merging anything but identical texts would misfile opinions.
 */
const MIN_NEAR_LENGTH = 6;

/** Hash functions per MinHash signature; the threshold decides how they are split into bands. */
const NUM_HASHES = 64;

/** Minimum probability that a pair at exactly the threshold shares at least one LSH band. */
const MIN_CANDIDATE_PROBABILITY = 0.995;

/**
 * Per bucket, each text is verified against at most this many "leaders" (earlier bucket
 * members that matched no earlier leader) instead of against every earlier member. A campaign
 * of thousands of comments fills one bucket per band; comparing all pairs there is the O(n²)
 * this module exists to avoid, while comparing with a few leaders of different shapes still
 * joins nearly every member, and the rest is left to the straggler pass.
 */
const MAX_LEADERS = 8;

/**
 * Leaders miss a text whose only qualifying neighbours are not leaders: typically a heavily
 * edited copy of a short template, just under the threshold to the template but over it to
 * another edited copy (one with the same signature format, say). So texts still alone or in a
 * pair after the leader pass are compared with their bucket-mates from all bands, those sharing
 * the most bands (the highest estimated similarity) first, up to STRAGGLER_VERIFICATIONS of them.
 */
const STRAGGLER_MAX_COMPONENT = 2;
const STRAGGLER_VERIFICATIONS = 64;

/**
 * Bands a straggler must share with a bucket-mate before they are verified: two when a pair at
 * the threshold still shares two with probability ≥ MIN_CANDIDATE_PROBABILITY, else one. At
 * 16 × 4 a pair at 0.8 shares two or more bands 99.7 % of the time, a pair at 0.2 only 0.03 %
 * (against 2.5 % for one band), so this spares most of the verifications that unrelated
 * comments on one subject would otherwise cost.
 */
function stragglerMinSharedBands(similarity: number, bands: number, rows: number): number {
  const p = Math.pow(similarity, rows);
  const atMostOne = Math.pow(1 - p, bands) + bands * p * Math.pow(1 - p, bands - 1);
  return 1 - atMostOne >= MIN_CANDIDATE_PROBABILITY ? 2 : 1;
}

/**
 * Bucket entries the straggler pass may read, per compared text. Ordinary data needs a small
 * fraction of it (most unique comments have no bucket-mates at all), but a campaign edited so
 * heavily that thousands of copies sit just below the threshold makes every copy a straggler
 * in buckets thousands long; the budget keeps that case linear, shared fairly between the
 * stragglers, each of which then reads an even sample of its buckets.
 */
const STRAGGLER_SCAN_BUDGET = 512;

/**
 * Whitespace (including the ideographic space), punctuation and symbols of every script, and
 * invisible control/format characters (zero-width spaces, BOMs) carry no opinion and are what
 * campaign copies vary most. Symbols (\p{S}) include emoji and decorative marks; the price of
 * dropping them too is that "+" and "%" disappear, but the digits beside them stay.
 */
const NOISE = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]/gu;

/**
 * NFKC first: it folds full-width Latin letters, digits and punctuation to their half-width
 * forms (Ａ１，→ A1,), the ideographic space to a space, circled numbers to digits and
 * compatibility ideographs to the unified ones; lower-casing then makes ASCII case irrelevant.
 *
 * Repeated characters are deliberately not collapsed: Chinese reduplication is meaningful
 * (谢谢, 看看, 常常, 人人) and collapsing it would make different texts identical, while the
 * repeats campaigns do add ("！！！", "强烈强烈反对") are either punctuation, which is stripped
 * anyway, or a one-character difference the near-duplicate stage tolerates.
 *
 * Traditional and simplified characters are not unified (that needs a conversion table).
 */
export function normalizeComment(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOISE, '');
}

/**
 * Comments consisting only of noise ("👍", "？？？") all normalise to ''. Grouping them by that
 * would make one cluster of unrelated reactions, so they are grouped by their NFKC form with
 * whitespace removed instead; the NUL prefix cannot occur in a normalised text.
 */
function groupingKey(text: string, normalized: string): string {
  return normalized !== '' ? normalized : '\u0000' + text.normalize('NFKC').replace(/[\p{Z}\s]/gu, '');
}

/**
 * Bound once: inside a vm context (jest runs tests in one) every global lookup such as `Math`
 * goes through an interceptor, which made the hashing loops a hundred times slower there.
 */
const imul = Math.imul;

/** murmur3's finaliser: a cheap bijection on 32 bits with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Decodes UTF-16 into code points so a supplementary-plane character is one shingle unit. */
function toCodePoints(s: string, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return n;
}

/**
 * Writes the sorted, de-duplicated 32-bit hashes of the shingles of `cps[0..len)` to `out` from
 * `at`, returning how many. A text shorter than one shingle is a single shingle. Hash collisions
 * between the few hundred shingles of two comments are negligible (~1e-5 per pair).
 */
function shingleSet(cps: Int32Array, len: number, k: number, out: Int32Array, at: number): number {
  if (len === 0) return 0;
  const span = Math.min(k, len);
  const count = len - span + 1;
  for (let i = 0; i < count; i++) {
    let h = span;
    for (let j = 0; j < span; j++) {
      h = imul(h ^ cps[i + j], 0x5bd1e995);
      h ^= h >>> 13;
    }
    out[at + i] = fmix32(h);
  }
  const view = out.subarray(at, at + count);
  view.sort();
  let unique = count > 0 ? 1 : 0;
  for (let i = 1; i < count; i++) {
    if (view[i] !== view[unique - 1]) view[unique++] = view[i];
  }
  return unique;
}

/** |A ∩ B| / |A ∪ B| of two sorted, de-duplicated ranges of one pool. */
function jaccardOfRanges(pool: Int32Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  if (la === 0 && lb === 0) return 1;
  let i = a0;
  let j = b0;
  let inter = 0;
  while (i < a1 && j < b1) {
    const x = pool[i];
    const y = pool[j];
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (la + lb - inter);
}

/**
 * Whether the ranges' Jaccard is ≥ threshold, with the exact same arithmetic as `jaccard`, but
 * giving up early: J ≥ t needs |A ∩ B| ≥ t·(|A|+|B|)/(1+t), which also bounds the size ratio.
 */
function similarEnough(pool: Int32Array, a0: number, a1: number, b0: number, b1: number, t: number): boolean {
  const la = a1 - a0;
  const lb = b1 - b0;
  // The small slack keeps the shortcut from ever rejecting a pair the exact test accepts.
  const need = (t * (la + lb)) / (1 + t) - 1e-9;
  if (Math.min(la, lb) < need) return false;
  let i = a0;
  let j = b0;
  let inter = 0;
  while (i < a1 && j < b1) {
    const left = a1 - i < b1 - j ? a1 - i : b1 - j;
    if (inter + left < need) return false;
    const x = pool[i];
    const y = pool[j];
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (la + lb - inter) >= t;
}

function checkOptions(options: ClusterOptions | undefined): { similarity: number; shingle: number } {
  const similarity = options?.similarity ?? DEFAULT_SIMILARITY;
  const shingle = options?.shingle ?? DEFAULT_SHINGLE;
  if (!(similarity > 0 && similarity <= 1)) throw new RangeError(`similarity must be in (0, 1], got ${similarity}`);
  if (!Number.isInteger(shingle) || shingle < 1 || shingle > 16) {
    throw new RangeError(`shingle must be an integer from 1 to 16, got ${shingle}`);
  }
  return { similarity, shingle };
}

/**
 * Jaccard similarity of the character-shingle sets of the two normalised texts — the measure
 * `clusterComments` verifies candidate pairs with (two empty texts count as identical).
 */
export function jaccard(a: string, b: string, shingle: number = DEFAULT_SHINGLE): number {
  checkOptions({ shingle });
  const na = normalizeComment(a);
  const nb = normalizeComment(b);
  const cps = new Int32Array(Math.max(na.length, nb.length));
  const pool = new Int32Array(na.length + nb.length);
  const la = shingleSet(cps, toCodePoints(na, cps), shingle, pool, 0);
  const lb = shingleSet(cps, toCodePoints(nb, cps), shingle, pool, la);
  return jaccardOfRanges(pool, 0, la, la, la + lb);
}

/**
 * Splits the signature into b bands of r rows: the most rows (fewest false candidates to verify)
 * for which a pair exactly at the threshold still becomes a candidate with probability
 * 1 − (1 − t^r)^b ≥ MIN_CANDIDATE_PROBABILITY. At t = 0.8 that is 16 bands × 4 rows, which makes
 * pairs at 0.8 candidates 99.98 % of the time, pairs at 0.5 64 % and pairs at 0.2 2.5 %.
 */
export function lshBanding(similarity: number): { bands: number; rows: number } {
  let best = { bands: NUM_HASHES, rows: 1 };
  for (let rows = 1; rows <= NUM_HASHES; rows++) {
    const bands = Math.floor(NUM_HASHES / rows);
    const p = 1 - Math.pow(1 - Math.pow(similarity, rows), bands);
    if (p >= MIN_CANDIDATE_PROBABILITY) best = { bands, rows };
  }
  return best;
}

/** Fixed seeds (splitmix32 from a constant) make every run give the same permutations. */
const SEEDS: Int32Array = (() => {
  const seeds = new Int32Array(NUM_HASHES);
  let state = 0x2545f491;
  for (let i = 0; i < NUM_HASHES; i++) {
    state = (state + 0x9e3779b9) | 0;
    seeds[i] = fmix32(state);
  }
  return seeds;
})();

class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  componentSize(x: number): number {
    return this.size[this.find(x)];
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}

/**
 * The texts taking part in near-duplicate search ("compared texts", numbered e = 0..m-1 in order
 * of first appearance) and their shingle sets, packed in one typed array.
 */
interface ShingleSets {
  /** Distinct-text number of compared text e. */
  text: Int32Array;
  /** The shingles of compared text e are pool[start[e] .. start[e + 1]), sorted and unique. */
  pool: Int32Array;
  start: Int32Array;
}

function buildShingleSets(texts: readonly string[], shingle: number): ShingleSets {
  let bound = 0;
  let longest = 0;
  for (const t of texts) {
    // A text has at most as many shingles as UTF-16 units, which bound its code points.
    if (t.length < MIN_NEAR_LENGTH) continue;
    bound += t.length;
    longest = Math.max(longest, t.length);
  }
  const pool = new Int32Array(bound);
  const cps = new Int32Array(longest);
  const ids: number[] = [];
  const starts: number[] = [0];
  let at = 0;
  for (let d = 0; d < texts.length; d++) {
    if (texts[d].length < MIN_NEAR_LENGTH) continue;
    const len = toCodePoints(texts[d], cps);
    if (len < MIN_NEAR_LENGTH) continue;
    at += shingleSet(cps, len, shingle, pool, at);
    ids.push(d);
    starts.push(at);
  }
  return { text: Int32Array.from(ids), pool, start: Int32Array.from(starts) };
}

/**
 * MinHash signatures reduced at once to one 32-bit key per band, stored as keys[b * m + e]; the
 * full signature is never kept. Each seed defines a permutation of 32-bit shingle hashes (xor
 * with the seed, then murmur3's bijective finaliser) and the signature keeps, per seed, the
 * minimum over the text's shingles.
 */
function bandKeys(sets: ShingleSets, bands: number, rows: number): Int32Array {
  const m = sets.text.length;
  const { pool, start } = sets;
  const keys = new Int32Array(bands * m);
  const sig = new Int32Array(bands * rows);
  for (let e = 0; e < m; e++) {
    sig.fill(0x7fffffff);
    for (let p = start[e]; p < start[e + 1]; p++) {
      const x = pool[p];
      for (let h = 0; h < sig.length; h++) {
        let v = x ^ SEEDS[h];
        v = imul(v ^ (v >>> 16), 0x85ebca6b);
        v = imul(v ^ (v >>> 13), 0xc2b2ae35);
        v ^= v >>> 16;
        if (v < sig[h]) sig[h] = v;
      }
    }
    for (let b = 0; b < bands; b++) {
      let h = b;
      for (let r = 0; r < rows; r++) {
        h = imul(h ^ sig[b * rows + r], 0x5bd1e995);
        h ^= h >>> 15;
      }
      keys[b * m + e] = fmix32(h);
    }
  }
  return keys;
}

/**
 * Texts with equal keys in a band share a bucket. Per band, order[b·m .. b·m + m) lists every
 * text once, bucket after bucket, each bucket in input order; text e's bucket in band b is
 * order[begin[b·m + e] .. end[b·m + e]). Contiguous buckets keep the scans sequential in memory.
 */
interface Buckets {
  order: Int32Array;
  begin: Int32Array;
  end: Int32Array;
}

function bucketize(keys: Int32Array, bands: number, m: number): Buckets {
  let capacity = 1;
  while (capacity < 2 * m) capacity *= 2;
  const mask = capacity - 1;
  const slotKey = new Int32Array(capacity);
  const slotHead = new Int32Array(capacity);
  const chain = new Int32Array(m);
  const order = new Int32Array(bands * m);
  const begin = new Int32Array(bands * m);
  const end = new Int32Array(bands * m);
  for (let b = 0; b < bands; b++) {
    const offset = b * m;
    slotHead.fill(-1);
    // Open addressing; inserting from the last text makes every chain run in input order.
    for (let e = m - 1; e >= 0; e--) {
      const key = keys[offset + e];
      let slot = key & mask;
      while (slotHead[slot] !== -1 && slotKey[slot] !== key) slot = (slot + 1) & mask;
      chain[e] = slotHead[slot];
      slotHead[slot] = e;
      slotKey[slot] = key;
    }
    let p = offset;
    for (let slot = 0; slot < capacity; slot++) {
      const first = p;
      for (let e = slotHead[slot]; e !== -1; e = chain[e]) order[p++] = e;
      for (let q = first; q < p; q++) {
        begin[offset + order[q]] = first;
        end[offset + order[q]] = p;
      }
    }
  }
  return { order, begin, end };
}

/** Merges compared texts whose shingle sets are verified to be similar enough. */
class NearDuplicates {
  constructor(
    private readonly sets: ShingleSets,
    private readonly uf: UnionFind,
    private readonly similarity: number,
  ) {}

  together(x: number, y: number): boolean {
    return this.uf.find(this.sets.text[x]) === this.uf.find(this.sets.text[y]);
  }

  /** Verifies the pair with the exact Jaccard similarity and merges it if it passes. */
  tryMerge(x: number, y: number): boolean {
    const { pool, start, text } = this.sets;
    if (!similarEnough(pool, start[x], start[x + 1], start[y], start[y + 1], this.similarity)) return false;
    this.uf.union(text[x], text[y]);
    return true;
  }

  componentSize(x: number): number {
    return this.uf.componentSize(this.sets.text[x]);
  }
}

function leaderPass(buckets: Buckets, bands: number, m: number, graph: NearDuplicates): void {
  const { order, end } = buckets;
  const leaders = new Int32Array(MAX_LEADERS);
  for (let b = 0; b < bands; b++) {
    const offset = b * m;
    for (let p = offset; p < offset + m; ) {
      const bucketEnd = end[offset + order[p]];
      let leaderCount = 0;
      for (let q = p; q < bucketEnd; q++) {
        const e = order[q];
        let matched = false;
        for (let l = 0; l < leaderCount; l++) {
          if (!graph.together(leaders[l], e) && graph.tryMerge(leaders[l], e)) matched = true;
        }
        if (!matched && leaderCount < MAX_LEADERS) leaders[leaderCount++] = e;
      }
      p = bucketEnd;
    }
  }
}

/** The largest per-straggler allowance such that min(demand, allowance) fits the budget. */
function fairAllowance(demands: readonly number[], budget: number): number {
  const sorted = [...demands].sort((a, b) => a - b);
  let remaining = budget;
  for (let i = 0; i < sorted.length; i++) {
    const share = remaining / (sorted.length - i);
    if (sorted[i] > share) return Math.max(1, Math.floor(share));
    remaining -= sorted[i];
  }
  return Infinity;
}

function stragglerPass(buckets: Buckets, bands: number, m: number, graph: NearDuplicates, minShared: number): void {
  const { order, begin, end } = buckets;
  const stragglers: number[] = [];
  const demands: number[] = [];
  for (let e = 0; e < m; e++) {
    if (graph.componentSize(e) > STRAGGLER_MAX_COMPONENT) continue;
    let demand = 0;
    for (let b = 0; b < bands; b++) demand += end[b * m + e] - begin[b * m + e] - 1;
    if (demand === 0) continue;
    stragglers.push(e);
    demands.push(demand);
  }
  const allowance = fairAllowance(demands, STRAGGLER_SCAN_BUDGET * m);

  const shared = new Int32Array(m);
  const touched = new Int32Array(m);
  for (let s = 0; s < stragglers.length; s++) {
    const e = stragglers[s];
    // An earlier straggler may have found this one.
    if (graph.componentSize(e) > STRAGGLER_MAX_COMPONENT) continue;
    // Over its allowance, a straggler reads every stride-th entry, from a different offset in
    // each band so that the bands together still cover its buckets evenly.
    const stride = demands[s] <= allowance ? 1 : Math.ceil(demands[s] / allowance);
    let touchedCount = 0;
    let mostShared = 0;
    for (let b = 0; b < bands; b++) {
      const offset = b * m;
      for (let q = begin[offset + e] + (b % stride); q < end[offset + e]; q += stride) {
        const o = order[q];
        if (o === e) continue;
        if (shared[o] === 0) touched[touchedCount++] = o;
        if (++shared[o] > mostShared) mostShared = shared[o];
      }
    }
    let budget = STRAGGLER_VERIFICATIONS;
    for (let count = mostShared; count >= minShared && budget > 0; count--) {
      for (let t = 0; t < touchedCount && budget > 0; t++) {
        const o = touched[t];
        if (shared[o] !== count || graph.together(o, e)) continue;
        budget--;
        graph.tryMerge(o, e);
      }
    }
    for (let t = 0; t < touchedCount; t++) shared[touched[t]] = 0;
  }
}

/**
 * Clusters comments that are identical after normalisation or whose shingle sets have a Jaccard
 * similarity ≥ `similarity`, linked transitively (A~B and B~C put A, B and C together). Every
 * input is in exactly one cluster. Clusters come largest first, ties by the input position of
 * their representative; members are in input order. Ids must be unique.
 *
 * Near-duplicate search is approximate in the way of LSH: a pair at the threshold escapes
 * candidacy with probability ≤ 0.5 %, and the bounded comparisons in large buckets may miss a
 * link whose only evidence is one pair near the threshold. Every merge is verified, so texts
 * below the threshold are never merged directly.
 */
export function clusterComments(comments: readonly ClusterInput[], options?: ClusterOptions): Cluster[] {
  const { similarity, shingle } = checkOptions(options);
  const n = comments.length;

  const seenIds = new Set<string>();
  for (const c of comments) {
    if (seenIds.has(c.id)) throw new Error(`duplicate comment id: ${c.id}`);
    seenIds.add(c.id);
  }
  seenIds.clear();

  // 1. Exact duplicates. Distinct texts are numbered in order of first appearance, so a lower
  // number always means an earlier representative.
  const distinctOf = new Int32Array(n);
  const texts: string[] = [];
  const byKey = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const text = comments[i].text;
    const normalized = normalizeComment(text);
    const key = groupingKey(text, normalized);
    let d = byKey.get(key);
    if (d === undefined) {
      d = texts.length;
      byKey.set(key, d);
      texts.push(normalized);
    }
    distinctOf[i] = d;
  }
  byKey.clear();

  // 2–3. Near duplicates among the distinct texts.
  const uf = new UnionFind(texts.length);
  const sets = buildShingleSets(texts, shingle);
  const m = sets.text.length;
  if (m > 1) {
    const { bands, rows } = lshBanding(similarity);
    const buckets = bucketize(bandKeys(sets, bands, rows), bands, m);
    const graph = new NearDuplicates(sets, uf, similarity);
    leaderPass(buckets, bands, m, graph);
    stragglerPass(buckets, bands, m, graph, stragglerMinSharedBands(similarity, bands, rows));
  }

  // 4. Clusters in order of their representatives, then largest first.
  const clusterOfRoot = new Int32Array(texts.length).fill(-1);
  const clusters: Array<Cluster & { firstText: number; position: number }> = [];
  for (let i = 0; i < n; i++) {
    const d = distinctOf[i];
    const root = uf.find(d);
    let c = clusterOfRoot[root];
    if (c === -1) {
      c = clusters.length;
      clusterOfRoot[root] = c;
      clusters.push({ id: comments[i].id, memberIds: [], exact: true, firstText: d, position: i });
    }
    const cluster = clusters[c];
    cluster.memberIds.push(comments[i].id);
    if (d !== cluster.firstText) cluster.exact = false;
  }
  clusters.sort((x, y) => y.memberIds.length - x.memberIds.length || x.position - y.position);
  return clusters.map(({ id, memberIds, exact }) => ({ id, memberIds, exact }));
}
