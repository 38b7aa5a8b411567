import { generateComments } from '../../scripts/synthetic-comments';
import { clusterComments, jaccard, lshBanding, normalizeComment } from '../../src/consultation/cluster';

const TEMPLATE =
  '关于公交票价调整方案，我认为应当充分考虑老年人和学生群体的实际困难，保留现行的优惠政策，' +
  '同时增加高峰时段的班次，减少乘客等车时间。希望有关部门认真听取市民意见，在实施前组织听证会，公开成本测算数据。';

function inputs(...texts: string[]) {
  return texts.map((text, i) => ({ id: `c${i + 1}`, text }));
}


describe('normalizeComment', () => {
  test('folds full-width forms and case, drops whitespace, punctuation and invisible characters', () => {
    expect(normalizeComment('Ｈｅｌｌｏ，　世界！ＡＢＣ １２３\u200b。')).toBe('hello世界abc123');
    expect(normalizeComment('“建议”：地铁（１号线）票价——保持２元……')).toBe('建议地铁1号线票价保持2元');
  });

  test('keeps repeated characters, which are meaningful in Chinese', () => {
    expect(normalizeComment('谢谢！！！常常')).toBe('谢谢常常');
  });
});

describe('jaccard', () => {
  test('is 1 for texts equal after normalisation and falls with edits', () => {
    expect(jaccard('同意，支持。', '同意 支持')).toBe(1);
    expect(jaccard(TEMPLATE, TEMPLATE.replace('老年人', '老人家'))).toBeGreaterThan(0.9);
    expect(jaccard('同意', '不同意')).toBeLessThan(0.8);
  });
});

describe('clusterComments', () => {
  test('exact duplicates differing in whitespace, punctuation and full-width characters form one exact cluster', () => {
    const clusters = clusterComments(
      inputs(
        '建议地铁1号线票价保持2元，不要上涨。',
        '  建议地铁１号线票价保持２元,不要上涨!!\n',
        '建议　地铁1号线　票价保持2元。不要上涨～',
        '建议地铁１号线票价保持２元不要上涨',
      ),
    );
    expect(clusters).toEqual([{ id: 'c1', memberIds: ['c1', 'c2', 'c3', 'c4'], exact: true }]);
  });

  test('a campaign template with a few edited characters and appended signatures clusters, not exactly', () => {
    const copies = [
      TEMPLATE + '——张三',
      TEMPLATE.replace('充分', '全面') + '——李四',
      TEMPLATE.replace('高峰时段', '早晚高峰时段').replace('听证会', '听证') + '（市民王芳）',
      TEMPLATE.replace('我认为', '我觉得').replace('，公开', '，并且公开') + '\n居民：赵建华',
      TEMPLATE.replace(/，/g, ' ').replace('实际困难', '困难'),
    ];
    for (const copy of copies.slice(1)) expect(jaccard(copy, copies[0])).toBeGreaterThanOrEqual(0.8);
    const clusters = clusterComments(inputs(...copies));
    expect(clusters).toEqual([{ id: 'c1', memberIds: ['c1', 'c2', 'c3', 'c4', 'c5'], exact: false }]);
  });

  test('different opinions on the same subject that share vocabulary stay apart', () => {
    const support =
      '我支持这次公交票价调整。现行票价多年未变，运营成本逐年上涨，财政补贴压力很大，' +
      '适当提高票价是合理的，但希望同步提升服务质量，增加高峰时段班次。';
    const oppose =
      '我反对这次公交票价调整。很多市民每天乘公交通勤，票价上涨会增加低收入家庭的负担，' +
      '建议通过优化线路、降低运营成本来缓解财政补贴压力，而不是提高票价。';
    const sameOpening =
      '关于公交票价调整方案，我认为应当充分考虑老年人和学生群体的实际困难，' +
      '但是票价已经十年没有调整，适当上涨可以接受，建议分步实施，给市民一个过渡期。';
    const askingForHearing =
      '公交票价调整关系到每一位市民的切身利益，希望有关部门在实施前组织听证会，' +
      '公开成本测算数据，认真听取市民意见，不要匆忙出台。';
    const texts = [TEMPLATE, support, oppose, sameOpening, askingForHearing];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) expect(jaccard(texts[i], texts[j])).toBeLessThan(0.5);
    }
    const clusters = clusterComments(inputs(...texts));
    expect(clusters.map((c) => c.memberIds)).toEqual([['c1'], ['c2'], ['c3'], ['c4'], ['c5']]);
  });

  test('short comments cluster only when exactly equal', () => {
    const clusters = clusterComments(inputs('同意', '不同意', '同意。', '非常同意', '非常不同意', ' 同意！'));
    expect(clusters).toEqual([
      { id: 'c1', memberIds: ['c1', 'c3', 'c6'], exact: true },
      { id: 'c2', memberIds: ['c2'], exact: true },
      { id: 'c4', memberIds: ['c4'], exact: true },
      { id: 'c5', memberIds: ['c5'], exact: true },
    ]);
  });

  test('comments of only symbols are grouped by their symbols, not all together', () => {
    const clusters = clusterComments(inputs('👍', '？？？', '👍 ', '?？?'));
    expect(clusters.map((c) => c.memberIds)).toEqual([['c1', 'c3'], ['c2', 'c4']]);
  });

  test('every id appears exactly once; clusters by size, then representative position; members in input order', () => {
    const edited = TEMPLATE.replace('认真', '切实') + '——刘洋';
    const comments = inputs('反对', TEMPLATE, '同意', edited, '同意。', TEMPLATE + '  ', '反对！', '支持', edited);
    const clusters = clusterComments(comments);
    expect(clusters).toEqual([
      { id: 'c2', memberIds: ['c2', 'c4', 'c6', 'c9'], exact: false },
      { id: 'c1', memberIds: ['c1', 'c7'], exact: true },
      { id: 'c3', memberIds: ['c3', 'c5'], exact: true },
      { id: 'c8', memberIds: ['c8'], exact: true },
    ]);
    const ids = clusters.flatMap((c) => c.memberIds);
    expect(ids.slice().sort()).toEqual(comments.map((c) => c.id).sort());
  });

  test('gives identical output on repeated runs', () => {
    const comments = generateComments({ total: 1500, campaigns: 5, campaignShare: 0.6, seed: 7 });
    expect(clusterComments(comments)).toEqual(clusterComments(comments));
  });

  test('rejects duplicate ids and out-of-range options, and accepts an empty list', () => {
    expect(() => clusterComments([{ id: 'a', text: '同意' }, { id: 'a', text: '反对' }])).toThrow(/duplicate/);
    expect(() => clusterComments([], { similarity: 0 })).toThrow(RangeError);
    expect(() => clusterComments([], { shingle: 2.5 })).toThrow(RangeError);
    expect(clusterComments([])).toEqual([]);
  });

  test('chooses LSH bands so that a pair at the threshold is almost surely a candidate', () => {
    expect(lshBanding(0.8)).toEqual({ bands: 16, rows: 4 });
    for (const t of [0.5, 0.7, 0.8, 0.9]) {
      const { bands, rows } = lshBanding(t);
      expect(1 - Math.pow(1 - Math.pow(t, rows), bands)).toBeGreaterThanOrEqual(0.995);
    }
  });

  test('recovers each synthetic campaign as one cluster with precision and recall ≥ 0.95', () => {
    const comments = generateComments({ total: 5000, campaigns: 10, campaignShare: 0.6, seed: 42 });
    const clusters = clusterComments(comments);

    const campaignOf = new Map(comments.map((c) => [c.id, c.campaign]));
    const sizes = new Map<number, number>();
    for (const c of comments) if (c.campaign >= 0) sizes.set(c.campaign, (sizes.get(c.campaign) ?? 0) + 1);
    expect(sizes.size).toBe(10);

    for (const [campaign, size] of sizes) {
      // The campaign's cluster is the one holding most of its comments.
      let best = { overlap: 0, size: 0 };
      for (const cluster of clusters) {
        const overlap = cluster.memberIds.filter((id) => campaignOf.get(id) === campaign).length;
        if (overlap > best.overlap) best = { overlap, size: cluster.memberIds.length };
      }
      const precision = best.overlap / best.size;
      const recall = best.overlap / size;
      expect({ campaign, precision: precision >= 0.95, recall: recall >= 0.95 }).toEqual({
        campaign,
        precision: true,
        recall: true,
      });
    }
    // Unique comments share vocabulary with the campaigns but are never merged into anything.
    const uniqueMerged = clusters
      .filter((c) => c.memberIds.length > 1)
      .flatMap((c) => c.memberIds)
      .filter((id) => campaignOf.get(id) === -1);
    expect(uniqueMerged).toEqual([]);
  });
});
