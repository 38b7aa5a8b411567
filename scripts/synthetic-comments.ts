/**
 * Deterministic synthetic public-consultation comments for benchmarks and tests: a share of the
 * comments come from campaigns (a template copied with small edits, punctuation and spacing
 * changes, full-width characters and a signature), the rest are unique texts written from the
 * same policy vocabulary, so that unrelated comments share words the way real ones do.
 */
import type { Cluster } from '../src/consultation/cluster';

export interface SyntheticOptions {
  total: number;
  campaigns: number;
  /** Fraction of comments that belong to a campaign. */
  campaignShare: number;
  seed?: number;
  /** Length range of templates and unique texts, in characters before noise. Default 50–300. */
  minLength?: number;
  maxLength?: number;
  /** Most characters replaced, inserted or deleted in an edited campaign copy. Default 3. */
  maxEdits?: number;
  /**
   * Instead of `maxEdits`: edited copies get from 1 up to this share of their template's
   * length in edits (0.2: up to a fifth, the most a near-duplicate may have).
   */
  maxEditShare?: number;
}

export interface SyntheticComment {
  id: string;
  text: string;
  /** Index of the campaign the comment was made from, or -1 for a unique comment. */
  campaign: number;
}

/** Bound once because global lookups are slow in the vm context jest runs tests in. */
const imul = Math.imul;
const floor = Math.floor;

/** mulberry32: small, fast and good enough for test data; seeded, so output is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = imul(a ^ (a >>> 15), 1 | a);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  '公交 票价 调整 地铁 线路 市民 出行 成本 补贴 财政 老年人 学生 优惠 换乘 站点 班次 高峰 拥堵 停车 收费 ' +
  '教育 学校 入学 学区 社区 养老 服务 医疗 环境 噪音 绿化 建议 希望 政府 部门 方案 草案 意见 支持 反对 ' +
  '合理 公平 透明 听证 征求 群众 利益 保障 落实 考虑 增加 减少 提高 降低 取消 保留 延长 缩短 时间 费用 ' +
  '标准 政策 实施 试点 评估 影响 困难 家庭 收入 低保 残疾人 便利 安全 质量 效率 管理 监督 公开 信息 数据 ' +
  '发布 规定 条款 我们 小区 居民 业主 物业 道路 改造 施工 期间 夜间 周末 早晚 上班 通勤 孩子 老人 每月 ' +
  '每天 每次 非常 十分 确实 应该 必须 尽快 认真 充分 进一步 明确 细化 完善 统筹 兼顾 可行性 必要性 现行 ' +
  '目前 今后 长期 短期 措施 办法 机制 渠道 平台 申请 审批 手续 材料 窗口 办理 网上 线下 工作日 节假日 ' +
  '运营 企业 司机 乘客 车辆 新能源 充电桩 自行车 步行 无障碍 电梯 加装 旧城 拆迁 安置 租金 房价 物价 ' +
  '就业 创业 培训 补助 奖励 处罚 执法 规范 秩序 卫生 垃圾 分类 回收 水费 电费 燃气 供暖 价格 听取 ' +
  '反映 问题 解决 答复 及时 满意 担心 负担 承受 压力 明显 显著 逐步 分步 过渡 衔接 配套 设施 建设 规划'
).split(' ');

const NUMBERS = ['2元', '3元', '10%', '20%', '30分钟', '1号线', '5公里', '60岁', '12个月', '2026年'];
const ENDINGS = ['，', '，', '，', '。', '。', '！', '？', '；'];
const SURNAMES = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗'.split('');
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '桂英', '建华', '志强', '丽娟'];
const CHARS = Array.from(new Set(WORDS.join('')));
const FULL_WIDTH_OFFSET = 0xfee0;
const PUNCTUATION = new Set('，。！？；'.split(''));

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[floor(rand() * items.length)];
}

function between(rand: () => number, lo: number, hi: number): number {
  return lo + floor(rand() * (hi - lo + 1));
}

/** Sentences of random policy words ending in Chinese punctuation, cut at the target length. */
function writeText(rand: () => number, length: number): string {
  let text = '';
  let sentence = 0;
  while (text.length < length) {
    const word = rand() < 0.05 ? pick(rand, NUMBERS) : pick(rand, WORDS);
    text += word;
    sentence += word.length;
    if (sentence >= 8 && rand() < 0.25) {
      text += pick(rand, ENDINGS);
      sentence = 0;
    }
  }
  return text.slice(0, length).replace(/[，。！？；]$/, '') + '。';
}

function signature(rand: () => number): string {
  const name = pick(rand, SURNAMES) + pick(rand, GIVEN);
  switch (between(rand, 0, 3)) {
    case 0:
      return '——' + name;
    case 1:
      return `（市民${name}）`;
    case 2:
      return ` ${name}敬上`;
    default:
      return `\n居民：${name}`;
  }
}

/** Changes that normalisation removes: punctuation, spacing, full-width forms, emoji. */
function reformat(rand: () => number, text: string): string {
  // Parts joined once: appending character by character would leave deep rope strings that
  // cost memory and make the first reader (the benchmark's baseline) pay for flattening them.
  const parts: string[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (PUNCTUATION.has(ch) && rand() < 0.15) {
      parts.push(pick(rand, ['，', ',', '、', ' ', '', '.', '!!', '！！！']));
    } else if (code < 0x7f && /[0-9A-Za-z%]/.test(ch) && rand() < 0.5) {
      parts.push(String.fromCharCode(code + FULL_WIDTH_OFFSET));
    } else {
      parts.push(ch);
    }
    if (rand() < 0.01) parts.push(pick(rand, [' ', '　', '\n', '\u200b']));
  }
  if (rand() < 0.1) parts.push(pick(rand, ['👍', '🙏', '!!!', '~~']));
  const out = parts.join('');
  return rand() < 0.2 ? `  ${out}\n` : out;
}

/** Replaces, inserts or deletes `count` characters at random positions. */
function edit(rand: () => number, text: string, count: number): string {
  const chars = Array.from(text);
  for (let k = 0; k < count; k++) {
    const at = floor(rand() * chars.length);
    const op = between(rand, 0, 2);
    if (op === 0) chars[at] = pick(rand, CHARS);
    else if (op === 1) chars.splice(at, 0, pick(rand, CHARS));
    else if (chars.length > 1) chars.splice(at, 1);
  }
  return chars.join('');
}

/**
 * Campaign sizes follow a 1/rank law, like real campaigns (one or two dominate); comments are
 * shuffled so campaign copies arrive interleaved with everything else.
 */
export function generateComments(options: SyntheticOptions): SyntheticComment[] {
  const rand = prng(options.seed ?? 20260101);
  const minLength = options.minLength ?? 50;
  const maxLength = options.maxLength ?? 300;
  const maxEdits = options.maxEdits ?? 3;
  const campaignTotal = options.campaigns > 0 ? Math.round(options.total * options.campaignShare) : 0;

  const weights = Array.from({ length: options.campaigns }, (_, i) => 1 / (i + 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(2, Math.floor((campaignTotal * w) / weightSum)));
  let assigned = sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; assigned < campaignTotal; i = (i + 1) % sizes.length, assigned++) sizes[i]++;

  const templates = sizes.map(() => writeText(rand, between(rand, minLength, maxLength)));
  const drafts: Array<{ text: string; campaign: number }> = [];
  sizes.forEach((size, campaign) => {
    for (let k = 0; k < size; k++) {
      let text = templates[campaign];
      // A third are plain copies; the rest were retyped or adapted by the sender.
      const most = options.maxEditShare === undefined ? maxEdits : Math.max(1, floor(options.maxEditShare * text.length));
      if (rand() >= 1 / 3) text = edit(rand, text, between(rand, 1, most));
      if (rand() < 0.5) text += signature(rand);
      drafts.push({ text: reformat(rand, text), campaign });
    }
  });
  while (drafts.length < options.total) {
    drafts.push({ text: reformat(rand, writeText(rand, between(rand, minLength, maxLength))), campaign: -1 });
  }
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = floor(rand() * (i + 1));
    [drafts[i], drafts[j]] = [drafts[j], drafts[i]];
  }
  const width = String(drafts.length).length;
  return drafts.map((d, i) => ({ id: `c${String(i + 1).padStart(width, '0')}`, ...d }));
}

export interface CampaignQuality {
  campaign: number;
  size: number;
  /** Size of the cluster holding most of the campaign's comments. */
  clusterSize: number;
  /** Share of that cluster that belongs to the campaign. */
  precision: number;
  /** Share of the campaign found in that cluster. */
  recall: number;
}

/** How well each campaign was recovered as one cluster, and how much unique text was swept in. */
export function campaignQuality(
  comments: readonly SyntheticComment[],
  clusters: readonly Cluster[],
): { campaigns: CampaignQuality[]; minPrecision: number; minRecall: number; uniqueInClusters: number } {
  const campaignOf = new Map(comments.map((c) => [c.id, c.campaign]));
  const sizes = new Map<number, number>();
  for (const c of comments) if (c.campaign >= 0) sizes.set(c.campaign, (sizes.get(c.campaign) ?? 0) + 1);

  const best = new Map<number, { overlap: number; clusterSize: number }>();
  let uniqueInClusters = 0;
  for (const cluster of clusters) {
    const counts = new Map<number, number>();
    for (const id of cluster.memberIds) {
      const campaign = campaignOf.get(id) ?? -1;
      if (campaign < 0 && cluster.memberIds.length > 1) uniqueInClusters++;
      if (campaign >= 0) counts.set(campaign, (counts.get(campaign) ?? 0) + 1);
    }
    for (const [campaign, overlap] of counts) {
      const clusterSize = cluster.memberIds.length;
      if (overlap > (best.get(campaign)?.overlap ?? 0)) best.set(campaign, { overlap, clusterSize });
    }
  }
  const campaigns = [...sizes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([campaign, size]) => {
      const { overlap, clusterSize } = best.get(campaign) ?? { overlap: 0, clusterSize: 0 };
      const precision = clusterSize ? overlap / clusterSize : 0;
      return { campaign, size, clusterSize, precision, recall: overlap / size };
    });
  return {
    campaigns,
    minPrecision: Math.min(1, ...campaigns.map((c) => c.precision)),
    minRecall: Math.min(1, ...campaigns.map((c) => c.recall)),
    uniqueInClusters,
  };
}

const NUMERALS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 21 → 二十一, 99 → 九十九 (enough for the articles of one document). */
export function chineseNumeral(n: number): string {
  if (n < 10) return NUMERALS[n];
  const tens = floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : NUMERALS[tens]}十${ones === 0 ? '' : NUMERALS[ones]}`;
}

/**
 * A policy document of `articles` numbered articles (第一条 …), each one or two paragraphs of
 * policy vocabulary, `articleLength` characters on average: what drafts and published documents
 * in the benchmarks look like.
 */
export function syntheticPolicyText(options: { articles: number; articleLength?: number; seed?: number }): string {
  const rand = prng(options.seed ?? 20260102);
  const length = options.articleLength ?? 120;
  const lines: string[] = [];
  for (let a = 1; a <= options.articles; a++) {
    lines.push(`第${chineseNumeral(a)}条 ${writeText(rand, between(rand, floor(length / 2), floor((length * 3) / 2)))}`);
    if (rand() < 0.3) lines.push(writeText(rand, between(rand, floor(length / 3), length)));
  }
  return lines.join('\n');
}

/** A paragraph of policy vocabulary, for interpretation materials and follow-ups. */
export function syntheticParagraph(length: number, seed: number): string {
  return writeText(prng(seed), length);
}
