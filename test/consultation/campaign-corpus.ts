/**
 * A labelled corpus of public comments on three municipal drafts (bus fares, lifts in old
 * residential buildings, household waste sorting), for measuring how well clustering finds
 * campaigns (群发意见). Deterministic: the same seed gives the same corpus.
 *
 * - Campaigns: hand-written templates, each copied by its senders with realistic edits — changed
 *   punctuation and spacing, full-width digits, line breaks and emoji (all removed by
 *   normalisation), added words ("强烈", "我们", "谢谢"), removed words, single inserted
 *   characters, substituted characters and synonyms, signatures. A copy's edits never exceed a
 *   fifth of its template, so each copy is a near-duplicate of the template by definition; a
 *   third of the copies, and the first, are the template as sent. Copies keep what carries the
 *   opinion: its numbers and the words that take a side (支持, 反对, 同意, 不…).
 * - Opposing campaigns: templates that differ from another campaign's by the side they take
 *   (我们支持… / 我们反对…) and a few words — closer than the edits a copy may have, yet
 *   different opinions.
 * - Independent opinions on the same articles: built from per-draft banks of observations,
 *   reasons and suggestions, any two differing in at least two of the three, with shared
 *   openings and closings, so they share vocabulary the way real comments on one article do.
 * - Short reactions: 同意, 支持, 没有意见… each repeated, one label per wording.
 * Labels name the opinion: all copies of one template share a label, every independent opinion
 * has its own.
 */
import type { Cluster } from '../../src/consultation/cluster';

export interface CorpusComment {
  id: string;
  text: string;
  /** The opinion the comment was written from. */
  label: string;
  /** For campaign copies: the template they were made from. */
  template: string | null;
  /** For campaign copies: how many characters were edited (never more than a fifth). */
  edits: number;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const between = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/**
 * The acceptance run's case (issue 12): one 40-character sentence sent 32 times — 24 with
 * punctuation and spacing variants or a few added words, 8 forwarding a version with four
 * characters inserted — which used to come back as clusters of 24 and 8.
 */
export const ACCEPTANCE_TEMPLATE = '坚决反对把普通线路票价上调到两元，公共交通是民生工程，应当继续由财政补贴来保持低票价。';
const ACCEPTANCE_INSERTED = '坚决反对把普通公交线路票价上调到两元，公共交通本是民生工程，应当继续由市财政补贴来保持较低票价。';

export function acceptanceCampaign(): string[] {
  const t = ACCEPTANCE_TEMPLATE;
  const variants = [
    t,
    t.replace(/，/g, ','),
    t.replace(/，/g, ' ').replace('。', ''),
    `  ${t}\n`,
    t.replace('。', '！！！'),
    t.replace('，', '，　'),
    t.replace(/，/g, '、'),
    t.replace('。', '。👍'),
    t.replace('，', '，\n'),
    t.replace(/[，。]/g, ''),
    `我们${t}`,
    t.replace('坚决反对', '强烈反对'),
    t.replace('。', '，谢谢！'),
    t.replace('应当', '政府应当'),
    `市民意见：${t}`,
    t.replace('。', '。请采纳。'),
    `我们${t.replace(/，/g, ',')}`,
    t.replace('民生工程', '重要的民生工程'),
    t.replace('。', '，希望采纳。'),
    `本人${t}`,
    t.replace('票价上调', '票价大幅上调'),
    t.replace('。', '。——一名老市民'),
    t.replace('保持低票价', '保持低票价不变'),
    `请注意：${t}`,
  ];
  const inserted = [
    ACCEPTANCE_INSERTED,
    ACCEPTANCE_INSERTED.replace(/，/g, ','),
    ACCEPTANCE_INSERTED.replace('。', '！'),
    ` ${ACCEPTANCE_INSERTED} `,
    ACCEPTANCE_INSERTED.replace(/，/g, ' '),
    ACCEPTANCE_INSERTED.replace('，', '，\n'),
    ACCEPTANCE_INSERTED.replace('。', '。。。'),
    ACCEPTANCE_INSERTED.replace(/[，。]/g, ''),
  ];
  return [...variants, ...inserted];
}

interface Template {
  label: string;
  text: string;
  copies: number;
}

/** Campaign templates, with how many copies each draws. */
const TEMPLATES: Template[] = [
  { label: 'fare-hearing', text: '票价调整必须先开听证会！成本数据不公开，我们不接受任何涨价。', copies: 25 },
  {
    label: 'fare-elderly',
    text: '我们是幸福里小区的居民，强烈要求在票价调整方案中保留老年人免费乘车政策，并将免费范围扩大到65岁以上的全部常住老人。',
    copies: 40,
  },
  {
    label: 'fare-transfer',
    text: '建议在方案第四条中增加换乘优惠：90分钟内换乘公交或地铁只收一次费用，这样既能鼓励绿色出行，也能减轻通勤族的负担。',
    copies: 15,
  },
  { label: 'fare-students', text: '支持票价调整方案，同时请保留学生半价优惠。', copies: 12 },
  { label: 'fare-keep-2', text: '建议票价保持2元不变', copies: 6 },
  { label: 'fare-keep-3', text: '建议票价保持3元不变', copies: 5 },
  {
    label: 'fare-new-district',
    text:
      '尊敬的市交通运输局：我们是居住在城东新区的居民。新区入住人口已经超过五万人，但目前只有两条公交线路经过，高峰时段候车时间超过半小时，' +
      '很多居民只能打车或者开私家车出行。在本次票价调整方案中，我们恳请同步规划新区的公交线路，增开至地铁站的接驳专线，并在新区内设置夜班车。' +
      '希望政府倾听我们的呼声，解决新区居民的出行难题。',
    copies: 20,
  },
  { label: 'lift-for', text: '我们小区居民一致支持按楼层高低分摊加装电梯费用的方案，希望政府尽快组织实施。', copies: 18 },
  { label: 'lift-against', text: '我们小区居民一致反对按楼层高低分摊加装电梯费用的方案，希望政府重新组织论证。', copies: 14 },
  { label: 'lift-ground-floor', text: '一楼住户的采光权也是权利！加装电梯必须对一楼住户给予合理补偿，不能只考虑高楼层住户的需求。', copies: 10 },
  {
    label: 'lift-consent',
    text: '建议把加装电梯的业主同意比例从三分之二以上调整为过半数即可，现在的要求太高，很多楼栋因为一两户不同意就装不成。',
    copies: 8,
  },
  { label: 'lift-maintenance', text: '加装电梯的维修保养费用应当由全体业主共同承担，建议设立专项维修基金并由物业统一管理。', copies: 4 },
  { label: 'waste-evening', text: '上班族根本赶不上早7点到9点的投放时间，强烈要求把晚间投放时间延长到晚上10点。', copies: 30 },
  { label: 'waste-fines-against', text: '我们坚决反对对个人乱扔垃圾处以罚款的规定，请市城管委认真听取群众意见。', copies: 9 },
  { label: 'waste-fines-for', text: '我们坚决支持对个人乱扔垃圾处以罚款的规定，请市城管委认真听取群众意见。', copies: 7 },
  { label: 'waste-sinks', text: '厨余垃圾破袋投放又脏又臭，建议在每个投放点安装洗手池和破袋器，方便居民分类投放。', copies: 3 },
];

/** Independent opinions: an observation, a reason and a suggestion from a draft's banks. */
const BANKS: Array<{ draft: string; observations: string[]; reasons: string[]; suggestions: string[] }> = [
  {
    draft: 'fare',
    observations: [
      '早高峰公交车经常满载，很多乘客挤不上车',
      '我家附近的线路发车间隔超过二十分钟',
      '地铁和公交之间换乘距离太远',
      '郊区线路末班车太早，晚上下班回不了家',
      '部分站台没有遮雨棚，雨天候车很不方便',
      '电子站牌显示的到站时间经常不准',
      '不少老年人不会使用手机扫码乘车',
      '学生上下学时段车厢特别拥挤',
      '新开通的线路绕行太多，坐一趟要一个多小时',
      '公交专用道经常被社会车辆占用',
      '夜班公交线路太少，覆盖不到新建小区',
      '部分车辆空调不开，夏天车厢闷热',
    ],
    reasons: [
      '票价调整前应当先公开运营成本的测算依据',
      '服务质量没有提升就涨价，市民难以接受',
      '财政补贴的使用情况应当向社会说明',
      '低收入群体每月交通支出占比已经不低',
      '调价方案对通勤距离远的市民影响最大',
      '其他城市普遍实行换乘优惠，值得借鉴',
      '票价结构应当体现多乘多优惠的原则',
      '现行月票制度使用率低，需要重新设计',
      '企业运营效率不高也是成本上升的原因',
      '调价幅度应当与居民收入增长相协调',
      '实施时间过于仓促，市民缺乏心理准备',
      '政策解读材料过于简单，很多问题没有说清',
    ],
    suggestions: [
      '建议增加高峰时段的发车班次',
      '建议设立九十分钟内免费换乘',
      '建议保留纸质月票并推出周票',
      '建议对低保家庭发放交通补贴',
      '建议在实施前召开价格听证会',
      '建议每年公布公交企业的财务报告',
      '建议优化郊区线路走向减少绕行',
      '建议在主要站点增设候车亭和座椅',
      '建议为老年人保留投币和刷卡方式',
      '建议分两年逐步调整到位',
      '建议延长夜班线路的运营时间',
      '建议建立乘客满意度评价机制',
    ],
  },
  {
    draft: 'lift',
    observations: [
      '我们小区是九十年代的六层楼，没有电梯',
      '楼里住着很多行动不便的老人',
      '一楼住户担心加装电梯影响采光和通风',
      '加装电梯占用了小区本来就紧张的绿地',
      '有的楼道门口空间太窄，电梯井没法施工',
      '高层住户和低层住户的意见分歧很大',
      '施工期间噪音和粉尘影响居民正常生活',
      '我家住五楼，每天爬楼对膝盖伤害很大',
      '小区里外卖和快递车辆进出很多，道路拥挤',
      '电梯建成后谁来负责日常维修没有说清',
      '部分业主长期出租房屋，很难联系到本人',
      '我们这栋楼去年已经自筹资金装了电梯',
    ],
    reasons: [
      '费用分摊比例应当按楼层高低合理确定',
      '政府补贴标准偏低，很多家庭承担不起',
      '业主同意比例的要求过高，很难达到',
      '低楼层业主的利益也应当得到保障',
      '审批手续涉及部门太多，办理时间太长',
      '后期运行维护费用需要有稳定的来源',
      '规划部门应当统一制定外观设计标准',
      '施工单位的资质和安全管理必须严格把关',
      '可以允许使用住房公积金支付加装费用',
      '街道和社区应当在协商中发挥更大作用',
      '已经自行加装的楼栋也应当享受补贴',
      '对有顾虑的业主不能简单地少数服从多数',
    ],
    suggestions: [
      '建议提高财政补贴额度',
      '建议明确一楼住户的补偿办法',
      '建议把同意比例降低到三分之二',
      '建议推行一站式审批服务',
      '建议由物业统一负责电梯维保',
      '建议公布几种标准化设计方案供选择',
      '建议引入第三方机构进行协调',
      '建议先在几个小区开展试点',
      '建议设立电梯维修专项基金',
      '建议延长施工许可的有效期',
      '建议对困难家庭减免分摊费用',
      '建议在社区公示施工进度和费用明细',
    ],
  },
  {
    draft: 'waste',
    observations: [
      '小区垃圾桶只在早晚各开放一个小时',
      '上班族早出晚归，赶不上定时投放时间',
      '厨余垃圾破袋投放容易弄脏手，气味很大',
      '有些居民分类后，清运车又混在一起拉走',
      '垃圾分类指导员只在开始的几个月有人',
      '老旧小区没有地方设置集中投放点',
      '很多人分不清有害垃圾和其他垃圾',
      '快递包装和外卖餐盒的数量越来越多',
      '农贸市场周边的垃圾清运不够及时',
      '投放点离部分楼栋太远，老人走不过去',
      '小区里乱扔大件垃圾的现象比较普遍',
      '垃圾分类宣传材料大多放在网上，老人看不到',
    ],
    reasons: [
      '对个人罚款的规定过于严厉，执行起来难度大',
      '定时定点投放应当考虑不同人群的作息时间',
      '分类运输和处理环节必须同步跟上',
      '源头减量比末端处理更加重要',
      '物业企业的责任需要进一步明确',
      '应当把积分奖励和居民日常消费结合起来',
      '执法检查要先教育后处罚',
      '分类标准应当全市统一，不要各区各搞一套',
      '再生资源回收体系需要和垃圾分类衔接',
      '餐饮企业的厨余垃圾应当单独管理',
      '分类设施的建设资金应当由政府保障',
      '居民的意见应当在实施中不断收集和调整',
    ],
    suggestions: [
      '建议延长晚间投放时间到十点',
      '建议在投放点配备洗手设施',
      '建议公开清运车辆的分类运输情况',
      '建议推行垃圾分类积分兑换',
      '建议对首次违规只进行劝导',
      '建议限制快递和外卖的过度包装',
      '建议在每栋楼下设置误时投放箱',
      '建议组织志愿者长期驻点指导',
      '建议编印图文并茂的分类手册发到每户',
      '建议设立大件垃圾预约清运服务',
      '建议对分类做得好的小区给予奖励',
      '建议定期公布各区的分类成效',
    ],
  },
];

const OPENINGS = ['', '', '关于这个草案，', '我是一名普通市民，', '我想提几点看法：', '看了征求意见稿，', '作为本市居民，'];
const CLOSINGS = ['', '。', '。希望采纳。', '。谢谢！', '。请有关部门认真考虑。', '，以上是我的意见。'];
const INDEPENDENT_PER_DRAFT = 60;

/** Short reactions many people post word for word; one label per wording. */
const REACTIONS: Array<[string, number]> = [
  ['同意。', 6],
  ['支持！', 4],
  ['不同意', 3],
  ['没有意见', 2],
  ['票价太贵了', 1],
  ['希望尽快实施', 1],
  ['电梯早该装了', 1],
];

/** What senders add: emphasis, who they are, politeness. */
const ADDED_WORDS = ['强烈', '我们', '真心', '非常', '一定', '市民', '恳请', '务必', '希望', '请'];
const TAIL_WORDS = ['谢谢', '请采纳', '望采纳', '拜托了'];
/** Characters typed in by accident or to make a copy look different: never a negation. */
const STRAY = Array.from('的了也都很就还再要是在和把这那些个啊呀吧嘛');
/** Synonyms senders swap in; each swap counts as two edited characters. */
const SYNONYMS: Array<[string, string]> = [
  ['建议', '希望'],
  ['应当', '应该'],
  ['居民', '市民'],
  ['尽快', '及时'],
  ['保持', '维持'],
  ['要求', '请求'],
  ['合理', '适当'],
  ['方案', '办法'],
  ['必须', '务必'],
  ['认真', '切实'],
];
const SURNAMES = Array.from('张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗');
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '军', '洋', '勇', '艳', '杰', '秀英', '建华', '志强', '丽娟'];
/** Words that carry the side a comment takes; copies keep them whole, as they keep numbers. */
const PROTECTED = /支持|反对|同意|赞成|赞同|拥护|不|\d+/g;
const PUNCTUATION = /[，。！？；：、]/;

function protectedMask(text: string): boolean[] {
  const mask = new Array<boolean>(text.length).fill(false);
  for (const m of text.matchAll(PROTECTED)) for (let i = m.index; i < m.index + m[0].length; i++) mask[i] = true;
  return mask;
}

/** Characters that count: what normalisation keeps (punctuation and spacing do not). */
function countable(text: string): number {
  return Array.from(text.normalize('NFKC').replace(/[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]/gu, '')).length;
}

/**
 * One sender's copy: content edits within `budget` characters, then formatting noise. Every
 * template character here is BMP Chinese or ASCII, so string indices are characters.
 */
function copyOf(rand: Rand, template: string, budget: number): { text: string; edits: number } {
  let text = template;
  let spent = 0;
  const editable = (at: number, length: number) => {
    const mask = protectedMask(text);
    for (let i = at; i < at + length; i++) if (i >= text.length || mask[i] || PUNCTUATION.test(text[i])) return false;
    return true;
  };
  // An insertion point between two characters, neither of them inside a protected word.
  const insertable = (at: number) => {
    const mask = protectedMask(text);
    return !(at > 0 && at < text.length && mask[at - 1] && mask[at]);
  };
  for (let attempts = 0; spent < budget && attempts < 200; attempts++) {
    const left = budget - spent;
    const op = between(rand, 0, 5);
    if (op === 0) {
      // An added word, in front or in the middle.
      const word = pick(rand, ADDED_WORDS);
      if (word.length > left) continue;
      const at = rand() < 0.4 ? 0 : between(rand, 0, text.length);
      if (!insertable(at)) continue;
      text = text.slice(0, at) + word + text.slice(at);
      spent += word.length;
    } else if (op === 1) {
      const word = pick(rand, TAIL_WORDS);
      if (word.length > left) continue;
      text = text.replace(/[。！]?$/, `，${word}。`);
      spent += word.length;
    } else if (op === 2) {
      // A removed word: two characters that carry no side.
      if (left < 2) continue;
      const at = between(rand, 0, text.length - 2);
      if (!editable(at, 2)) continue;
      text = text.slice(0, at) + text.slice(at + 2);
      spent += 2;
    } else if (op === 3) {
      const at = between(rand, 0, text.length);
      if (!insertable(at)) continue;
      text = text.slice(0, at) + pick(rand, STRAY) + text.slice(at);
      spent += 1;
    } else if (op === 4) {
      const at = between(rand, 0, text.length - 1);
      if (!editable(at, 1)) continue;
      text = text.slice(0, at) + pick(rand, STRAY) + text.slice(at + 1);
      spent += 1;
    } else {
      if (left < 2) continue;
      const [a, b] = pick(rand, SYNONYMS);
      const [from, to] = rand() < 0.5 ? [a, b] : [b, a];
      const at = text.indexOf(from);
      if (at === -1 || !editable(at, from.length)) continue;
      text = text.slice(0, at) + to + text.slice(at + from.length);
      spent += 2;
    }
  }
  // A signature, when the budget still has room for it.
  if (rand() < 0.4) {
    const name = pick(rand, SURNAMES) + pick(rand, GIVEN);
    const signature = pick(rand, [`——${name}`, `（市民${name}）`, ` ${name}`, `\n居民：${name}`]);
    const cost = countable(signature);
    if (spent + cost <= budget) {
      text += signature;
      spent += cost;
    }
  }
  return { text: reformat(rand, text), edits: spent };
}

/** What normalisation removes: punctuation swaps, spaces, line breaks, full-width digits, emoji. */
function reformat(rand: Rand, text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (PUNCTUATION.test(ch) && rand() < 0.3) out.push(pick(rand, ['，', ',', '、', ' ', '', '.', '!!', '！！！', '；']));
    else if (/[0-9]/.test(ch) && rand() < 0.5) out.push(String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    else out.push(ch);
    if (rand() < 0.02) out.push(pick(rand, [' ', '　', '\n', '\u200b']));
  }
  if (rand() < 0.1) out.push(pick(rand, ['👍', '🙏', '!!!', '～～']));
  const joined = out.join('');
  return rand() < 0.15 ? `  ${joined}\n` : joined;
}

/**
 * The corpus, shuffled. A third of the copies, and each campaign's first, are the template as
 * sent; the rest carry edits of up to a fifth of the template, a quarter of them right at it.
 */
export function campaignCorpus(seed = 20261122): CorpusComment[] {
  const rand = prng(seed);
  const items: Array<Omit<CorpusComment, 'id'>> = [];

  acceptanceCampaign().forEach((text) => items.push({ text, label: 'acceptance', template: ACCEPTANCE_TEMPLATE, edits: 0 }));

  for (const template of TEMPLATES) {
    const limit = Math.floor(countable(template.text) / 5);
    for (let k = 0; k < template.copies; k++) {
      const verbatim = k === 0 || rand() < 1 / 3;
      const budget = verbatim ? 0 : rand() < 0.25 ? limit : between(rand, 1, Math.max(1, limit));
      const { text, edits } = copyOf(rand, template.text, budget);
      items.push({ text, label: template.label, template: template.text, edits });
    }
  }

  for (const bank of BANKS) {
    // Observation i with reason j takes suggestion (i + j) mod 12: any two opinions differ in
    // at least two of the three parts.
    const pairs = Array.from({ length: 144 }, (_, n) => [Math.floor(n / 12), n % 12] as const);
    for (let n = pairs.length - 1; n > 0; n--) {
      const j = Math.floor(rand() * (n + 1));
      [pairs[n], pairs[j]] = [pairs[j], pairs[n]];
    }
    for (const [i, j] of pairs.slice(0, INDEPENDENT_PER_DRAFT)) {
      const k = (i + j) % 12;
      const text = `${pick(rand, OPENINGS)}${bank.observations[i]}，${bank.reasons[j]}，${bank.suggestions[k]}${pick(rand, CLOSINGS)}`;
      items.push({ text: reformat(rand, text), label: `${bank.draft}-opinion-${i}-${j}`, template: null, edits: 0 });
    }
  }

  for (const [text, times] of REACTIONS) {
    for (let k = 0; k < times; k++) items.push({ text: reformat(rand, text), label: `reaction-${text}`, template: null, edits: 0 });
  }

  for (let n = items.length - 1; n > 0; n--) {
    const j = Math.floor(rand() * (n + 1));
    [items[n], items[j]] = [items[j], items[n]];
  }
  return items.map((item, n) => ({ id: `k${String(n + 1).padStart(4, '0')}`, ...item }));
}

/** `count` copies of a template, each edited by exactly a fifth of it (the hardest copies). */
export function copiesAtTheLimit(template: string, count: number, seed: number): string[] {
  const rand = prng(seed);
  const limit = Math.floor(countable(template) / 5);
  return Array.from({ length: count }, () => copyOf(rand, template, limit).text);
}

export interface PairwiseQuality {
  /** Of the pairs put in one cluster, the share with one label. */
  precision: number;
  /** Of the pairs with one label, the share put in one cluster. */
  recall: number;
  clusteredPairs: number;
  labelledPairs: number;
  agreeingPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise precision and recall of a clustering against the labels. */
export function pairwiseQuality(comments: readonly CorpusComment[], clusters: readonly Cluster[]): PairwiseQuality {
  const labelOf = new Map(comments.map((c) => [c.id, c.label]));
  const labelSizes = new Map<string, number>();
  for (const c of comments) labelSizes.set(c.label, (labelSizes.get(c.label) ?? 0) + 1);
  let clusteredPairs = 0;
  let agreeingPairs = 0;
  for (const cluster of clusters) {
    clusteredPairs += pairs(cluster.memberIds.length);
    const cells = new Map<string, number>();
    for (const id of cluster.memberIds) {
      const label = labelOf.get(id) as string;
      cells.set(label, (cells.get(label) ?? 0) + 1);
    }
    for (const n of cells.values()) agreeingPairs += pairs(n);
  }
  let labelledPairs = 0;
  for (const n of labelSizes.values()) labelledPairs += pairs(n);
  return {
    precision: clusteredPairs === 0 ? 1 : agreeingPairs / clusteredPairs,
    recall: labelledPairs === 0 ? 1 : agreeingPairs / labelledPairs,
    clusteredPairs,
    labelledPairs,
    agreeingPairs,
  };
}
