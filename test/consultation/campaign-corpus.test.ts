/**
 * Campaign recall and precision (issue 12, item 4) on the labelled corpus of
 * campaign-corpus.ts: near-duplicates with edits of up to a fifth of the text fall in one
 * campaign, distinct opinions on the same articles stay apart, and so do opposite sides.
 */
import { clusterComments, editSimilarity } from '../../src/consultation/cluster';
import { ACCEPTANCE_TEMPLATE, acceptanceCampaign, campaignCorpus, copiesAtTheLimit, pairwiseQuality } from './campaign-corpus';

const corpus = campaignCorpus();

describe('the corpus', () => {
  test('every campaign copy is within a fifth of its template; independent opinions are not near one another', () => {
    const copies = corpus.filter((c) => c.template !== null);
    expect(copies.length).toBeGreaterThan(250);
    for (const copy of copies) expect([copy.id, editSimilarity(copy.text, copy.template as string) >= 0.8]).toEqual([copy.id, true]);
    // Copies at the limit are what the corpus is for.
    expect(copies.filter((c) => c.edits > 0 && editSimilarity(c.text, c.template as string) < 0.85).length).toBeGreaterThan(25);

    const opinions = corpus.filter((c) => c.label.includes('-opinion-'));
    expect(opinions.length).toBe(180);
    let closest = 0;
    for (let i = 0; i < opinions.length; i++) {
      for (let j = i + 1; j < opinions.length; j++) closest = Math.max(closest, editSimilarity(opinions[i].text, opinions[j].text));
    }
    expect(closest).toBeLessThan(0.8);
  });

  test('opposing campaigns are closer to each other than a copy may be to its template', () => {
    const template = (label: string) => corpus.find((c) => c.label === label)?.template as string;
    expect(editSimilarity(template('lift-for'), template('lift-against'))).toBeGreaterThanOrEqual(0.8);
    expect(editSimilarity(template('waste-fines-for'), template('waste-fines-against'))).toBeGreaterThanOrEqual(0.8);
    expect(editSimilarity(template('fare-keep-2'), template('fare-keep-3'))).toBeGreaterThanOrEqual(0.8);
  });
});

describe('clustering the corpus', () => {
  test('pairwise precision and recall over same-label pairs are both ≥ 0.95', () => {
    const quality = pairwiseQuality(corpus, clusterComments(corpus));
    // Reported on every run, so a change that costs quality shows before it fails.
    console.log(
      `campaign corpus: ${corpus.length} comments; pairwise precision ${quality.precision.toFixed(4)} ` +
        `(${quality.agreeingPairs}/${quality.clusteredPairs}), recall ${quality.recall.toFixed(4)} (${quality.agreeingPairs}/${quality.labelledPairs})`,
    );
    expect(quality.precision).toBeGreaterThanOrEqual(0.95);
    expect(quality.recall).toBeGreaterThanOrEqual(0.95);
  });

  test('the acceptance run: 32 copies of one 40-character sentence, 8 with four characters inserted, are one campaign', () => {
    expect(Array.from(ACCEPTANCE_TEMPLATE.replace(/[，。]/g, '')).length).toBe(40);
    const texts = acceptanceCampaign();
    expect(texts).toHaveLength(32);
    const clusters = clusterComments(texts.map((text, i) => ({ id: `a${i}`, text })));
    expect(clusters.map((c) => c.memberIds.length)).toEqual([32]);
  });

  test('copies edited right at the limit each find their campaign', () => {
    const templates = [
      ACCEPTANCE_TEMPLATE,
      '建议在方案第四条中增加换乘优惠：90分钟内换乘公交或地铁只收一次费用，这样既能鼓励绿色出行，也能减轻通勤族的负担。',
      '上班族根本赶不上早7点到9点的投放时间，强烈要求把晚间投放时间延长到晚上10点。',
    ];
    templates.forEach((template, t) => {
      const texts = [template, template, ...copiesAtTheLimit(template, 40, 100 + t)];
      for (const text of texts) expect(editSimilarity(text, template)).toBeGreaterThanOrEqual(0.8);
      const clusters = clusterComments(texts.map((text, i) => ({ id: `c${i}`, text })));
      expect([t, clusters.map((c) => c.memberIds.length)]).toEqual([t, [42]]);
    });
  });

  test('comments for and against the same thing, and short ones with different numbers, never share a campaign', () => {
    const clusters = clusterComments(corpus);
    const labelOf = new Map(corpus.map((c) => [c.id, c.label]));
    for (const cluster of clusters) {
      const labels = new Set(cluster.memberIds.map((id) => labelOf.get(id)));
      for (const [a, b] of [['lift-for', 'lift-against'], ['waste-fines-for', 'waste-fines-against'], ['fare-keep-2', 'fare-keep-3']]) {
        expect([a, b].filter((l) => labels.has(l))).not.toEqual([a, b]);
      }
    }
  });

  test('each campaign comes back as one cluster', () => {
    const clusters = clusterComments(corpus);
    const labelOf = new Map(corpus.map((c) => [c.id, c.label]));
    const campaigns = new Set(corpus.filter((c) => c.template !== null).map((c) => c.label));
    for (const label of campaigns) {
      const holding = clusters.filter((c) => c.memberIds.some((id) => labelOf.get(id) === label));
      expect([label, holding.length]).toEqual([label, 1]);
    }
  });
});
