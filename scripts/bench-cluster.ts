/**
 * Times comment clustering on 100,000 synthetic comments (60 % from 20 campaigns, 40 % unique)
 * against the floor of any approach — normalising and hashing every text into a Map — measured
 * in the same process, and checks that each campaign comes back as one cluster.
 *   npx tsc -p tsconfig.build.json && node dist/scripts/bench-cluster.js [total] [rounds]
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { clusterComments, lshBanding, normalizeComment, type Cluster } from '../src/consultation/cluster';
import { campaignQuality, generateComments } from './synthetic-comments';

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
  let distinctTexts = 0;
  let clusters: Cluster[] = [];
  // Peak RSS is taken after the first round only: later rounds add garbage V8 has no reason to
  // collect on a machine with free memory.
  let peakRssBeforeClusteringMb = 0;
  let peakRssMb = 0;
  for (let pass = 0; pass < rounds; pass++) {
    const baselineStart = performance.now();
    const exactGroups = new Map<string, number[]>();
    comments.forEach((c, i) => {
      const key = normalizeComment(c.text);
      const group = exactGroups.get(key);
      if (group) group.push(i);
      else exactGroups.set(key, [i]);
    });
    baselineSamples.push(performance.now() - baselineStart);
    distinctTexts = exactGroups.size;
    if (pass === 0) peakRssBeforeClusteringMb = process.resourceUsage().maxRSS / 1024;

    const clusterStart = performance.now();
    clusters = clusterComments(comments);
    clusterSamples.push(performance.now() - clusterStart);
    if (pass === 0) peakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  const baselineMs = Math.min(...baselineSamples);
  const clusterMs = Math.min(...clusterSamples);

  const quality = campaignQuality(comments, clusters);
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
      peakRssBeforeClusteringMb: round(peakRssBeforeClusteringMb),
      peakRssMb: round(peakRssMb),
      distinctTexts,
      clusters: clusters.length,
      multiMemberClusters: clusters.filter((c) => c.memberIds.length > 1).length,
      minPrecision: round(quality.minPrecision, 4),
      minRecall: round(quality.minRecall, 4),
      uniqueInClusters: quality.uniqueInClusters,
      perCampaign: quality.campaigns.map((c) => [c.size, round(c.precision, 4), round(c.recall, 4)]),
    }),
  );
}

main();
