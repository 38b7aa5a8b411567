/**
 * Groups public-consultation comments that are copies or near-copies of one another, so staff
 * can answer a whole campaign (群发意见) at once and the adoption report can say how many
 * comments each answer covers. Pure computation: no I/O, no clock, no randomness.
 *
 * Two comments are near-duplicates when, after normalisation, one becomes the other by
 * inserting, deleting or substituting at most a fifth of the longer one's characters — an edit
 * similarity 1 − distance / max(length) ≥ 0.8 — neither takes the opposite side of the other
 * (支持 / 反对, 同意 / 不同意), and, where one is shorter than 20 characters, both have the same
 * numbers. Campaigns are the groups near-duplicates link into (single linkage).
 *
 * Pipeline:
 *  1. normalise every comment and group identical normalised texts (hash map);
 *  2. MinHash the character-bigram set of each distinct text long enough to be compared, and
 *     bucket them by LSH bands, so only texts that probably look alike are ever compared;
 *  3. verify candidates — a bigram-count filter, then the edit distance bounded by the allowed
 *     edits — in each bucket against a few "leaders", then, for texts still alone, against their
 *     most likely bucket-mates, and merge accepted pairs with union-find (single linkage);
 *  4. rescue: a copy edited by up to a fifth keeps only about half its bigrams, which LSH alone
 *     finds too rarely, so every group of one, and a few members of every other group, look for
 *     a near-duplicate among a few central members of each group of two or more comments,
 *     through an inverted index of bigrams probed with prefix filtering — exhaustive for those
 *     members, cheap for unrelated text.
 * Every step is deterministic: fixed hash seeds, input-order tie-breaks, no Math.random.
 */

/**
 * Which clustering a stored result came from. Raise it whenever a change to this module can
 * group the same comments differently: stored clusterings of another version are recomputed
 * (Campaigns.clustering), so a round closed before the change does not keep its old campaigns.
 * 1: shingle Jaccard ≥ 0.8; 2: edit similarity with the rescue and the test of sides.
 */
export const CLUSTERING_ALGORITHM = 2;

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
  /**
   * Edit similarity 1 − d / max(|a|, |b|) at or above which two comments are near-duplicates,
   * in (0, 1]; d is the Levenshtein distance of the normalised texts in characters (code
   * points). Default 0.8: edits of up to a fifth of the text.
   */
  similarity?: number;
  /** Shingle length in characters (code points) for candidate search. Default 2. */
  shingle?: number;
}

const DEFAULT_SIMILARITY = 0.8;

/**
 * Candidate search works on character bigrams: most Chinese words are two characters long, so
 * bigrams capture word order while one edited character destroys at most two of them. Unrelated
 * texts on one subject still share some (their common words), which is why every candidate is
 * verified by its edit distance before it is merged.
 */
const DEFAULT_SHINGLE = 2;

/**
 * Below this normalised length only exact matches cluster: in short comments a single
 * character carries the meaning (同意 / 不同意, 支持 / 不支持), so merging anything but
 * identical texts would misfile opinions.
 */
const MIN_NEAR_LENGTH = 6;

/**
 * In a comment shorter than this (normalised) its numbers are most of what it says — 建议票价
 * 保持2元 and 建议票价保持3元 are two opinions one character apart — so short texts are only
 * near-duplicates when their digits are the same. Longer texts are not held to it: a campaign
 * copy with a mistyped year is still the campaign.
 */
const SHORT_TEXT = 20;

/** Hash functions per MinHash signature; the threshold decides how they are split into bands. */
const NUM_HASHES = 64;

/** Minimum probability that a pair at exactly the threshold shares at least one LSH band. */
const MIN_CANDIDATE_PROBABILITY = 0.995;

/**
 * Per bucket, each text is verified against at most this many "leaders" (earlier bucket
 * members that matched no earlier leader) instead of against every earlier member. A campaign
 * of thousands of comments fills one bucket per band; comparing all pairs there is the O(n²)
 * this module exists to avoid, while comparing with a few leaders of different shapes still
 * joins nearly every member, and the rest is left to the straggler pass and the rescue.
 */
const MAX_LEADERS = 8;

/**
 * Leaders miss a text whose only qualifying neighbours are not leaders: typically a heavily
 * edited copy, too far from the leaders but near another copy. So texts still alone or in a
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
 * Members of a group of two or more comments that the rescue indexes: its most copied texts
 * (a campaign's template is usually sent verbatim by many), then those that verified against
 * the most others — the group's centre, from which an edited copy is least far.
 */
const RESCUE_REPRESENTATIVES = 8;

/** Verifications one probe of the rescue may spend, on the candidates sharing most bigrams. */
const RESCUE_VERIFICATIONS = 8;

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
 * A campaign never joins comments for and against the same thing: 我们支持… and 我们反对… differ
 * by two characters, well within the edits a copy may have, but are opposite opinions. So each
 * text's words for (支持, 同意…) and against (反对, 不同意…) are counted, and two texts where one
 * has more of the first and the other more of the second are never near-duplicates. Differences
 * in one count alone are not opposition: a copy that lost one of its 支持 to an edit still says
 * what its template says. Read on normalised text; 不同意见 ("different views") is not 不同意.
 */
const SAYS_AGAINST = /反对|不(?:太|能|予|再)?(?:支持|赞成|同意(?!见)|赞同|拥护)/g;
const SAYS_FOR = /(?<!不|不太|不能|不予|不再)(?:支持|赞成|同意(?!见)|赞同|拥护)/g;

function occurrences(pattern: RegExp, text: string): number {
  let count = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) count++;
  return Math.min(count, 255);
}

function opposed(forA: number, againstA: number, forB: number, againstB: number): boolean {
  return (forA - forB) * (againstA - againstB) < 0;
}

const DIGIT_RUNS = /\d+/g;

function digitsOf(normalized: string): string {
  return (normalized.match(DIGIT_RUNS) ?? []).join(',');
}

/**
 * Bound once: inside a vm context (jest runs tests in one) every global lookup such as `Math`
 * goes through an interceptor, which made the hashing loops a hundred times slower there.
 */
const imul = Math.imul;
const floor = Math.floor;

/** murmur3's finaliser: a cheap bijection on 32 bits with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Decodes UTF-16 into code points so a supplementary-plane character is one unit. */
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

/** Whether two sorted, de-duplicated ranges of one pool share at least `need` elements. */
function shareAtLeast(pool: Int32Array, a0: number, a1: number, b0: number, b1: number, need: number): boolean {
  if (need <= 0) return true;
  if (Math.min(a1 - a0, b1 - b0) < need) return false;
  let i = a0;
  let j = b0;
  let inter = 0;
  while (i < a1 && j < b1) {
    const left = a1 - i < b1 - j ? a1 - i : b1 - j;
    if (inter + left < need) return false;
    const x = pool[i];
    const y = pool[j];
    if (x === y) {
      if (++inter >= need) return true;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter >= need;
}

/**
 * The Levenshtein distance of a[0..la) and b[0..lb) if it is at most `limit`, else limit + 1.
 * Diagonal transition (Ukkonen; Landau and Vishkin): for d = 0, 1, … it keeps, per diagonal
 * j − i, the furthest row reachable with d edits and slides along equal characters, so similar
 * texts cost O(la + lb + limit²) rather than the full O(la · lb) table. `diagonals` must hold
 * 2 · (2 · limit + 3) numbers.
 */
function editDistanceWithin(a: Int32Array, la: number, b: Int32Array, lb: number, limit: number, diagonals: Int32Array): number {
  const target = lb - la;
  if (target > limit || -target > limit) return limit + 1;
  const width = 2 * limit + 3;
  const offset = limit + 1;
  const NONE = -0x40000000;
  let previous = 0;
  let current = width;
  diagonals.fill(NONE, 0, 2 * width);
  for (let d = 0; d <= limit; d++) {
    // Diagonals that can still reach the target diagonal with the edits left.
    const lo = Math.max(-d, target - (limit - d));
    const hi = Math.min(d, target + (limit - d));
    for (let k = lo; k <= hi; k++) {
      let i: number;
      if (d === 0) i = 0;
      else {
        const substitute = diagonals[previous + offset + k] + 1;
        const remove = diagonals[previous + offset + k + 1] + 1;
        const insert = diagonals[previous + offset + k - 1];
        i = substitute > remove ? substitute : remove;
        if (insert > i) i = insert;
        if (i < 0) {
          diagonals[current + offset + k] = NONE;
          continue;
        }
      }
      if (i > la) i = la;
      if (i + k > lb) i = lb - k;
      if (i < 0 || i + k < 0) {
        diagonals[current + offset + k] = NONE;
        continue;
      }
      while (i < la && i + k < lb && a[i] === b[i + k]) i++;
      diagonals[current + offset + k] = i;
      if (k === target && i === la) return d;
    }
    const swap = previous;
    previous = current;
    current = swap;
    // Diagonals this round does not reach must read as unreachable in the next.
    diagonals.fill(NONE, current, current + width);
  }
  return limit + 1;
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
 * Edits allowed between texts of `longer` characters: (1 − similarity) of it, rounded down. The
 * epsilon keeps 0.2 · 40 at 8, where floating point gives 7.999….
 */
function allowedEdits(slack: number, longer: number): number {
  return floor(slack * longer + 1e-9);
}

/**
 * Jaccard similarity of the character-shingle sets of the two normalised texts (two empty texts
 * count as identical): the measure candidate search estimates.
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
 * 1 − d / max(|a|, |b|) for the Levenshtein distance d of the two normalised texts in code
 * points (two empty texts count as identical): the measure near-duplicates are judged by.
 */
export function editSimilarity(a: string, b: string): number {
  const na = normalizeComment(a);
  const nb = normalizeComment(b);
  const ca = new Int32Array(na.length);
  const cb = new Int32Array(nb.length);
  const la = toCodePoints(na, ca);
  const lb = toCodePoints(nb, cb);
  const longer = Math.max(la, lb);
  if (longer === 0) return 1;
  const d = editDistanceWithin(ca, la, cb, lb, longer, new Int32Array(2 * (2 * longer + 3)));
  return 1 - d / longer;
}

/**
 * Splits the signature into b bands of r rows: the most rows (fewest false candidates to verify)
 * for which a pair exactly at the given Jaccard still becomes a candidate with probability
 * 1 − (1 − t^r)^b ≥ MIN_CANDIDATE_PROBABILITY. At t = 0.8 that is 16 bands × 4 rows, which makes
 * pairs at 0.8 candidates 99.98 % of the time, pairs at 0.5 64 % and pairs at 0.2 2.5 %.
 * Candidate search is tuned at a Jaccard equal to the edit similarity: copies with a few edits
 * are found there cheaply, copies edited up to the threshold by the rescue.
 */
export function lshBanding(similarity: number): { bands: number; rows: number } {
  let best = { bands: NUM_HASHES, rows: 1 };
  for (let rows = 1; rows <= NUM_HASHES; rows++) {
    const bands = floor(NUM_HASHES / rows);
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
  /** Length of compared text e in code points. */
  length: Int32Array;
  /** The shingles of compared text e are pool[start[e] .. start[e + 1]), sorted and unique. */
  pool: Int32Array;
  start: Int32Array;
  /** How many words for, and against, something compared text e has (see `opposed`). */
  saysFor: Uint8Array;
  saysAgainst: Uint8Array;
  /** The longest compared text, in code points. */
  longest: number;
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
  const lengths: number[] = [];
  const starts: number[] = [0];
  let at = 0;
  for (let d = 0; d < texts.length; d++) {
    if (texts[d].length < MIN_NEAR_LENGTH) continue;
    const len = toCodePoints(texts[d], cps);
    if (len < MIN_NEAR_LENGTH) continue;
    at += shingleSet(cps, len, shingle, pool, at);
    ids.push(d);
    lengths.push(len);
    starts.push(at);
  }
  const saysFor = new Uint8Array(ids.length);
  const saysAgainst = new Uint8Array(ids.length);
  ids.forEach((d, e) => {
    saysFor[e] = occurrences(SAYS_FOR, texts[d]);
    saysAgainst[e] = occurrences(SAYS_AGAINST, texts[d]);
  });
  return { text: Int32Array.from(ids), length: Int32Array.from(lengths), pool, start: Int32Array.from(starts), saysFor, saysAgainst, longest };
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

/** Verifies candidate pairs of compared texts and merges those that are near-duplicates. */
class NearDuplicates {
  /** Successful verifications per compared text: how central it is in its group. */
  readonly links: Int32Array;
  private readonly slack: number;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly diagonals: Int32Array;

  constructor(
    readonly sets: ShingleSets,
    private readonly texts: readonly string[],
    readonly uf: UnionFind,
    similarity: number,
    private readonly shingle: number,
  ) {
    this.slack = 1 - similarity;
    this.links = new Int32Array(sets.text.length);
    this.left = new Int32Array(sets.longest);
    this.right = new Int32Array(sets.longest);
    const most = allowedEdits(this.slack, sets.longest);
    this.diagonals = new Int32Array(2 * (2 * most + 3));
  }

  together(x: number, y: number): boolean {
    return this.uf.find(this.sets.text[x]) === this.uf.find(this.sets.text[y]);
  }

  /** Merges the pair if it is verified to be near-duplicates. */
  tryMerge(x: number, y: number): boolean {
    if (!this.nearDuplicates(x, y)) return false;
    this.uf.union(this.sets.text[x], this.sets.text[y]);
    this.links[x]++;
    this.links[y]++;
    return true;
  }

  /**
   * Not opposed, and the edit distance within the allowed edits — after the filters it implies:
   * lengths differing by more than the allowed edits, and too few shared shingles (each edit
   * destroys at most `shingle` of a text's shingle occurrences, so near-duplicates share all but
   * shingle · edits of either set).
   */
  nearDuplicates(x: number, y: number): boolean {
    const { length, pool, start, text, saysFor, saysAgainst } = this.sets;
    if (opposed(saysFor[x], saysAgainst[x], saysFor[y], saysAgainst[y])) return false;
    const la = length[x];
    const lb = length[y];
    const allowed = allowedEdits(this.slack, la > lb ? la : lb);
    if (la - lb > allowed || lb - la > allowed) return false;
    const sa = start[x + 1] - start[x];
    const sb = start[y + 1] - start[y];
    if (!shareAtLeast(pool, start[x], start[x + 1], start[y], start[y + 1], (sa > sb ? sa : sb) - this.shingle * allowed)) return false;
    const a = this.texts[text[x]];
    const b = this.texts[text[y]];
    if ((la < SHORT_TEXT || lb < SHORT_TEXT) && digitsOf(a) !== digitsOf(b)) return false;
    const na = toCodePoints(a, this.left);
    const nb = toCodePoints(b, this.right);
    return editDistanceWithin(this.left, na, this.right, nb, allowed, this.diagonals) <= allowed;
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
    if (sorted[i] > share) return Math.max(1, floor(share));
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
 * Shingle → the representatives holding it, as an open-addressing table over a flat posting
 * array: the rescue looks up every shingle of most compared texts, which a Map made slow.
 */
class ShingleIndex {
  /** Slots in the table, a power of two; slot numbers are below it. */
  readonly capacity: number;
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly used: Uint8Array;
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  readonly postings: Int32Array;

  constructor(sets: ShingleSets, representatives: readonly number[]) {
    let total = 0;
    for (const r of representatives) total += sets.start[r + 1] - sets.start[r];
    let capacity = 16;
    while (capacity < 2 * total) capacity *= 2;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.first = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    for (const r of representatives) {
      for (let p = sets.start[r]; p < sets.start[r + 1]; p++) this.count[this.claim(sets.pool[p])]++;
    }
    let at = 0;
    for (let slot = 0; slot < capacity; slot++) {
      this.first[slot] = at;
      at += this.count[slot];
      this.count[slot] = 0;
    }
    this.postings = new Int32Array(total);
    for (const r of representatives) {
      for (let p = sets.start[r]; p < sets.start[r + 1]; p++) {
        const slot = this.claim(sets.pool[p]);
        this.postings[this.first[slot] + this.count[slot]++] = r;
      }
    }
  }

  private claim(key: number): number {
    let slot = fmix32(key) & this.mask;
    while (this.used[slot] === 1 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    this.used[slot] = 1;
    this.keys[slot] = key;
    return slot;
  }

  /** The slot of a shingle, or -1 when no representative has it. */
  slotOf(key: number): number {
    let slot = fmix32(key) & this.mask;
    while (this.used[slot] === 1) {
      if (this.keys[slot] === key) return slot;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  size(slot: number): number {
    return this.count[slot];
  }

  begin(slot: number): number {
    return this.first[slot];
  }
}

/**
 * A copy edited by up to a fifth shares only about half its bigrams with its template, so LSH
 * tuned for few false candidates makes it a candidate too rarely. Here every group of two or
 * more comments offers its RESCUE_REPRESENTATIVES most central members, and every text alone
 * (and each representative, so that two halves of one campaign meet) looks for a near-duplicate
 * among them through an inverted index of their bigrams.
 *
 * Prefix filtering keeps the look-up exhaustive and cheap: a partner within the allowed edits
 * shares all but shingle · edits of the prober's bigrams, so it holds at least one of any
 * shingle · edits + 1 of them — the prober reads the postings of only that many, the rarest among
 * the representatives; bigrams no representative has cost nothing. Candidates are verified
 * as everywhere else, most shared bigrams first.
 */
function rescuePass(graph: NearDuplicates, weight: Int32Array, shingle: number, similarity: number): void {
  const { sets, uf } = graph;
  const m = sets.text.length;
  const slack = 1 - similarity;
  // Comments per group.
  const groupWeight = new Int32Array(weight.length);
  for (let e = 0; e < m; e++) groupWeight[uf.find(sets.text[e])] += weight[sets.text[e]];

  // Each group's most copied, then most linked members, earliest first on ties.
  const slotOfRoot = new Int32Array(weight.length).fill(-1);
  const chosen: number[] = [];
  const better = (x: number, y: number) => {
    const wx = weight[sets.text[x]];
    const wy = weight[sets.text[y]];
    return wx !== wy ? wx > wy : graph.links[x] !== graph.links[y] ? graph.links[x] > graph.links[y] : x < y;
  };
  for (let e = 0; e < m; e++) {
    const root = uf.find(sets.text[e]);
    if (groupWeight[root] < 2) continue;
    let slot = slotOfRoot[root];
    if (slot === -1) {
      slot = chosen.length / RESCUE_REPRESENTATIVES;
      slotOfRoot[root] = slot;
      for (let k = 0; k < RESCUE_REPRESENTATIVES; k++) chosen.push(-1);
    }
    const base = slot * RESCUE_REPRESENTATIVES;
    // Insertion into a short list kept best first.
    let k = RESCUE_REPRESENTATIVES - 1;
    if (chosen[base + k] !== -1 && !better(e, chosen[base + k])) continue;
    while (k > 0 && (chosen[base + k - 1] === -1 || better(e, chosen[base + k - 1]))) {
      chosen[base + k] = chosen[base + k - 1];
      k--;
    }
    chosen[base + k] = e;
  }
  const representatives = chosen.filter((e) => e !== -1).sort((x, y) => x - y);
  if (representatives.length === 0) return;
  const isRepresentative = new Uint8Array(m);
  for (const r of representatives) isRepresentative[r] = 1;
  // Candidates with equal evidence are tried best representative first.
  const byRank = representatives.slice().sort((x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
  const rank = new Int32Array(m);
  byRank.forEach((r, i) => (rank[r] = i));
  const index = new ShingleIndex(sets, representatives);
  const reps = representatives.length;

  // Sort keys packed into doubles, so that the typed arrays' native numeric sort orders them.
  const tokens = new Float64Array(sets.longest + 1);
  const candidates = new Float64Array(reps);
  const touched = new Int32Array(reps);
  const hits = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const root = uf.find(sets.text[e]);
    if (groupWeight[root] >= 2 && isRepresentative[e] === 0) continue;
    const from = sets.start[e];
    const to = sets.start[e + 1];
    // The most edits any partner may differ by: against a longer partner of length L, slack · L
    // with L at most length / (1 − slack).
    const most = similarity >= 1 ? 0 : allowedEdits(slack, sets.length[e] / similarity);
    const prefix = Math.min(to - from, shingle * most + 1);
    let absent = 0;
    let present = 0;
    for (let p = from; p < to; p++) {
      const slot = index.slotOf(sets.pool[p]);
      if (slot === -1) absent++;
      else tokens[present++] = index.size(slot) * index.capacity + slot;
    }
    // Bigrams no representative has fill the prefix for free; then the rarest.
    if (absent >= prefix) continue;
    const probed = tokens.subarray(0, present).sort();
    let touchedCount = 0;
    for (let i = 0; i < prefix - absent; i++) {
      const slot = probed[i] % index.capacity;
      const begin = index.begin(slot);
      const end = begin + index.size(slot);
      for (let q = begin; q < end; q++) {
        const r = index.postings[q];
        if (hits[r]++ === 0) touched[touchedCount++] = r;
      }
    }
    // Most shared bigrams first.
    for (let t = 0; t < touchedCount; t++) {
      const r = touched[t];
      candidates[t] = (prefix + 1 - hits[r]) * reps + rank[r];
      hits[r] = 0;
    }
    const ordered = candidates.subarray(0, touchedCount).sort();
    let budget = RESCUE_VERIFICATIONS;
    for (let t = 0; t < touchedCount && budget > 0; t++) {
      const r = byRank[ordered[t] % reps];
      if (r === e || graph.together(r, e)) continue;
      budget--;
      graph.tryMerge(r, e);
    }
  }
}

/**
 * Clusters comments that are identical after normalisation or near-duplicates (edit similarity
 * ≥ `similarity`, and not for and against the same thing), linked transitively (A~B and B~C put
 * A, B and C together). Every input is in exactly one cluster. Clusters come largest first, ties
 * by the input position of their representative; members are in input order. Ids must be unique.
 *
 * Near-duplicate search is approximate in the way of LSH: the candidate search and the bounded
 * comparisons in large buckets may miss a link whose only evidence is one pair near the
 * threshold, and the rescue looks for partners only among each group's central members. Every
 * merge is verified, so texts beyond the allowed edits are never merged directly.
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
  const weight = new Int32Array(texts.length);
  for (let i = 0; i < n; i++) weight[distinctOf[i]]++;

  // 2–4. Near duplicates among the distinct texts.
  const sets = buildShingleSets(texts, shingle);
  const m = sets.text.length;
  const uf = new UnionFind(texts.length);
  if (m > 1) {
    const { bands, rows } = lshBanding(similarity);
    const graph = new NearDuplicates(sets, texts, uf, similarity, shingle);
    const buckets = bucketize(bandKeys(sets, bands, rows), bands, m);
    leaderPass(buckets, bands, m, graph);
    stragglerPass(buckets, bands, m, graph, stragglerMinSharedBands(similarity, bands, rows));
    rescuePass(graph, weight, shingle, similarity);
  }

  // 5. Clusters in order of their representatives, then largest first.
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
