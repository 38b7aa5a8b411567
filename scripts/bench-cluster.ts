/**
 * Times comment clustering on 100,000 (or, with a larger `total`, up to 1,000,000) synthetic
 * comments (60 % from 20 campaigns, 40 % unique) against the floor of any approach — normalising
 * and hashing every text into a Map — measured in the same process, and checks that each
 * campaign comes back as one cluster. Also the other in-memory parts of clustering and the
 * adoption report at that size: ordering the comments as Campaigns.clustering does, the
 * report's tally of outcomes (src/consultation/report.ts, fed one row per comment — the worst
 * case, where the database groups nothing), and the BSON size the stored clustering would have
 * as one document (MongoDB refuses documents over 16 MiB); and, on 20,000 comments whose copies
 * are edited by up to a fifth of their template, how well campaigns are still found.
 *   npm run build && node --max-old-space-size=8192 dist/scripts/bench-cluster.js [total] [rounds]
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { BSON } from 'mongodb';
import { clusterComments, lshBanding, normalizeComment, type Cluster } from '../src/consultation/cluster';
import { tallyOutcomes, type OutcomeRow } from '../src/consultation/report';
import { newObjectId } from '../src/store/ids';
import { DISPOSITION_OUTCOMES } from '../src/store/records';
import { campaignQuality, generateComments } from './synthetic-comments';

/** This process's CPU time (user and system) since `since`, in ms. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Each round's ratio to that round's baseline, their median and their range. */
function pairedRatios(results: readonly number[], baselines: readonly number[]): { perRound: number[]; median: number; min: number; max: number } {
  const perRound = results.map((r, i) => r / baselines[i]);
  const sorted = [...perRound].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const two = (x: number) => Number(x.toFixed(2));
  return { perRound: perRound.map(two), median: two(median), min: two(sorted[0]), max: two(sorted[sorted.length - 1]) };
}

/** Best of `rounds` timings of fn, in ms, and fn's last result. */
function best<T>(rounds: number, fn: () => T): [T, number] {
  let result: T | undefined;
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    result = fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return [result as T, fastest];
}

/** The other in-memory parts of the clustering and report paths, each next to a floor. */
function reportParts(clusters: readonly Cluster[], n: number, rounds: number): Record<string, unknown> {
  // Ordering by (createdAt, _id) as Campaigns.clustering does, against copying the ids.
  const ids = Array.from({ length: n }, () => String(newObjectId()));
  const times = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + ((i * 7919) % n));
  const [, copyMs] = best(rounds, () => ids.slice());
  const [, sortMs] = best(rounds, () =>
    Array.from(ids.keys()).sort((a, b) => times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0)),
  );
  // The report's tally, one row per comment, against summing the counts.
  const rows: OutcomeRow[] = Array.from({ length: n }, (_, i) => ({
    _id: { article: i % 25 === 0 ? null : (i % 30) + 1, outcome: DISPOSITION_OUTCOMES[i % 4] },
    count: 1,
  }));
  const [, sumMs] = best(rounds, () => rows.reduce((a, r) => a + r.count, 0));
  const [tally, tallyMs] = best(rounds, () => tallyOutcomes(rows));
  if (tally.totals.commentCount !== n) throw new Error('tally lost comments');
  // What Campaigns.clustering stores: clusters of two or more, by representative id.
  const multi = clusters.filter((c) => c.memberIds.length > 1);
  const storedIds = multi.map((c) => ({ id: ids[0], memberIds: c.memberIds.map((_, k) => ids[k % n]) }));
  const bytes = BSON.calculateObjectSize({ clusters: storedIds });
  const round = (x: number) => Number(x.toFixed(1));
  return {
    orderingMs: round(sortMs),
    orderingBaselineCopyMs: round(copyMs),
    tallyMs: round(tallyMs),
    tallyBaselineSumMs: round(sumMs),
    tallyRatio: round(tallyMs / sumMs),
    clusteredComments: multi.reduce((a, c) => a + c.memberIds.length, 0),
    clusteringAsOneDocumentMiB: round(bytes / 2 ** 20),
    fitsOneDocument: bytes < 16 * 2 ** 20,
  };
}

function main(): void {
  const total = Number(process.argv[2] ?? 100_000);
  const generateStart = performance.now();
  const comments = generateComments({ total, campaigns: 20, campaignShare: 0.6, seed: 20260101 });
  const generateMs = performance.now() - generateStart;

  // Alternating rounds, best of each, so garbage left by the generator or the previous round
  // does not decide the ratio.
  const rounds = Number(process.argv[3] ?? 2);
  const baselineSamples: number[] = [];
  const clusterSamples: number[] = [];
  // CPU time too: on a shared machine another process's load stretches wall time, not this.
  const baselineCpuSamples: number[] = [];
  const clusterCpuSamples: number[] = [];
  let distinctTexts = 0;
  let clusters: Cluster[] = [];
  // Peak RSS is taken after the first round only: later rounds add garbage V8 has no reason to
  // collect on a machine with free memory.
  let peakRssBeforeClusteringMb = 0;
  let peakRssMb = 0;
  for (let pass = 0; pass < rounds; pass++) {
    const baselineStart = performance.now();
    const baselineCpu = process.cpuUsage();
    const exactGroups = new Map<string, number[]>();
    comments.forEach((c, i) => {
      const key = normalizeComment(c.text);
      const group = exactGroups.get(key);
      if (group) group.push(i);
      else exactGroups.set(key, [i]);
    });
    baselineSamples.push(performance.now() - baselineStart);
    baselineCpuSamples.push(cpuMs(baselineCpu));
    distinctTexts = exactGroups.size;
    if (pass === 0) peakRssBeforeClusteringMb = process.resourceUsage().maxRSS / 1024;

    const clusterStart = performance.now();
    const clusterCpu = process.cpuUsage();
    clusters = clusterComments(comments);
    clusterSamples.push(performance.now() - clusterStart);
    clusterCpuSamples.push(cpuMs(clusterCpu));
    if (pass === 0) peakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  const baselineMs = Math.min(...baselineSamples);
  const clusterMs = Math.min(...clusterSamples);

  const quality = campaignQuality(comments, clusters);
  // Quality where copies are edited by up to a fifth of their template, the most a
  // near-duplicate may have (signatures come on top, so a few copies are beyond it).
  const heavy = generateComments({ total: Math.min(total, 20_000), campaigns: 20, campaignShare: 0.6, seed: 20260102, maxEditShare: 0.2 });
  const heavyQuality = campaignQuality(heavy, clusterComments(heavy));
  const parts = reportParts(clusters, comments.length, rounds);
  const round = (x: number, digits = 1) => Number(x.toFixed(digits));
  console.log(
    JSON.stringify({
      comments: comments.length,
      campaigns: quality.campaigns.length,
      banding: lshBanding(0.8),
      generateMs: round(generateMs),
      baselineExactMapMs: round(baselineMs),
      clusterMs: round(clusterMs),
      baselineSamplesMs: baselineSamples.map((x) => round(x)),
      clusterSamplesMs: clusterSamples.map((x) => round(x)),
      ratio: round(clusterMs / baselineMs, 2),
      // Each round's clustering over that round's baseline: the spread says how noisy the machine was.
      pairedRatios: pairedRatios(clusterSamples, baselineSamples),
      baselineCpuSamplesMs: baselineCpuSamples.map((x) => round(x)),
      clusterCpuSamplesMs: clusterCpuSamples.map((x) => round(x)),
      pairedCpuRatios: pairedRatios(clusterCpuSamples, baselineCpuSamples),
      peakRssBeforeClusteringMb: round(peakRssBeforeClusteringMb),
      peakRssMb: round(peakRssMb),
      distinctTexts,
      clusters: clusters.length,
      multiMemberClusters: clusters.filter((c) => c.memberIds.length > 1).length,
      minPrecision: round(quality.minPrecision, 4),
      minRecall: round(quality.minRecall, 4),
      uniqueInClusters: quality.uniqueInClusters,
      perCampaign: quality.campaigns.map((c) => [c.size, round(c.precision, 4), round(c.recall, 4)]),
      editedUpToAFifth: {
        comments: heavy.length,
        minPrecision: round(heavyQuality.minPrecision, 4),
        minRecall: round(heavyQuality.minRecall, 4),
        meanRecall: round(heavyQuality.campaigns.reduce((a, c) => a + c.recall, 0) / heavyQuality.campaigns.length, 4),
        uniqueInClusters: heavyQuality.uniqueInClusters,
      },
      ...parts,
      peakRssEndMb: round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

main();
