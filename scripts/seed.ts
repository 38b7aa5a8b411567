/**
 * Demo data for a newcomer's first minutes: one member of staff per role (tokens printed once,
 * as shell `export` lines for the README's curl walk) and a few realistic filings in different
 * stages. Sample filings are only added to an empty database; staff are added on every run,
 * because tokens cannot be shown again.
 *   npm start   (in one terminal)   then   npm run seed
 */
import { STAGE_LABELS, type Stage } from '../machines/filing.machine';
import { ROLE_LABELS, type Actor, type StaffRole } from '../machines/roles';
import { StaffDirectory } from '../src/auth';
import { loadConfig } from '../src/config';
import { AuditTrail } from '../src/audit/trail';
import { DEPARTMENT_KIND_LABELS, OrganisationDirectory } from '../src/organisation/directory';
import { usccCheckCharacter } from '../src/organisation/uscc';
import { buildServices, mailSettings } from '../src/services';
import type { Repositories } from '../src/store';
import type { Connection } from '../src/store/connection';
import type { FilingCommand, NewFiling } from '../src/workflow/filings';
import { openScriptDatabase } from './connect';

const DRC = '市发展和改革委员会';
const TRANSPORT = '市交通运输局';
const EDUCATION = '市教育局';
const CIVIL = '市民政局';

/** `variable`: the shell variable the token is printed as; the README's walk uses them. */
const STAFF: Array<{ key: string; variable: string; name: string; role: StaffRole; department: string | null }> = [
  { key: 'drcDrafter', variable: 'DRAFTER', name: '王晓明', role: 'drafter', department: DRC },
  { key: 'drcHead', variable: 'HEAD', name: '李建国', role: 'departmentHead', department: DRC },
  { key: 'transportDrafter', variable: 'TRANSPORT_DRAFTER', name: '陈静', role: 'drafter', department: TRANSPORT },
  { key: 'transportHead', variable: 'TRANSPORT_HEAD', name: '赵卫东', role: 'departmentHead', department: TRANSPORT },
  { key: 'educationDrafter', variable: 'EDUCATION_DRAFTER', name: '刘芳', role: 'drafter', department: EDUCATION },
  { key: 'educationHead', variable: 'EDUCATION_HEAD', name: '孙志刚', role: 'departmentHead', department: EDUCATION },
  { key: 'civilDrafter', variable: 'CIVIL_DRAFTER', name: '周敏', role: 'drafter', department: CIVIL },
  { key: 'civilHead', variable: 'CIVIL_HEAD', name: '吴海涛', role: 'departmentHead', department: CIVIL },
  { key: 'clerk', variable: 'CLERK', name: '郑丽', role: 'clerk', department: null },
  { key: 'confidentialityReviewer', variable: 'CONFIDENTIALITY_REVIEWER', name: '钱敏', role: 'confidentialityReviewer', department: null },
  { key: 'legalReviewer', variable: 'LEGAL_REVIEWER', name: '冯立新', role: 'legalReviewer', department: null },
  { key: 'fairCompetitionReviewer', variable: 'FAIR_COMPETITION_REVIEWER', name: '何雪', role: 'fairCompetitionReviewer', department: null },
  { key: 'meetingSecretary', variable: 'MEETING_SECRETARY', name: '许文', role: 'meetingSecretary', department: null },
  { key: 'signer', variable: 'SIGNER', name: '高振华', role: 'signer', department: null },
  { key: 'publisher', variable: 'PUBLISHER', name: '林悦', role: 'publisher', department: null },
  { key: 'assessor', variable: 'ASSESSOR', name: '马骏', role: 'assessor', department: null },
  { key: 'administrator', variable: 'ADMINISTRATOR', name: '邓伟', role: 'administrator', department: null },
  { key: 'securityAuditor', variable: 'SECURITY_AUDITOR', name: '罗娟', role: 'securityAuditor', department: null },
  { key: 'drcOpenGovernment', variable: 'OPEN_GOVERNMENT_OFFICE', name: '谢婷', role: 'openGovernmentOffice', department: DRC },
  { key: 'opinionDesk', variable: 'OPINION_DESK', name: '韩磊', role: 'opinionDesk', department: null },
];

/** The shell variables `npm run seed` prints, one per person: the README's curl walk uses them. */
export const STAFF_VARIABLES = STAFF.map((staff) => staff.variable);

export interface SeededFiling {
  id: string;
  title: string;
  leadDepartment: string;
  stage: Stage;
}

function interpretation(subject: string) {
  return {
    plan: `由起草部门主要负责人作为第一解读人，围绕${subject}撰写解读文章，同步发布政策问答和图解。`,
    materials: {
      background: `为贯彻落实国家和省有关部署，结合本市实际，制定${subject}。`,
      objectives: '到2027年底，相关领域服务水平明显提升，群众满意度持续提高。',
      mainContent: '明确了总体要求、重点任务、保障措施三部分内容。',
      scope: '适用于本市行政区域内的相关单位和个人。',
      executionStandards: '自印发之日起施行，有效期五年；执行中的具体问题由起草部门负责解释。',
      benefitMeasures: '新增便民服务举措六项。',
    },
    forms: ['officialArticle' as const, 'policyQa' as const, 'graphic' as const],
  };
}

export async function seedFilings(repositories: Repositories, actors: Record<string, Actor>): Promise<SeededFiling[]> {
  // Through the same services as the API, so the demo filings also fill the outbox (R19).
  const config = loadConfig();
  const services = buildServices(repositories, mailSettings(config.mail), { deadlines: config.deadlines, periods: config.periods, concentratedMinComments: config.concentratedMinComments });
  const service = services.filings;
  const made: string[] = [];
  const drive = async (id: string, steps: Array<[string, Record<string, unknown>]>) => {
    for (const [who, command] of steps) {
      const { version } = await service.get(actors[who], id);
      await service.send(actors[who], id, { ...command, version } as FilingCommand);
    }
  };
  const create = async (who: string, filing: NewFiling) => {
    const view = await service.create(actors[who], filing);
    made.push(view.id);
    return view.id;
  };

  // 1. Under legality and fair competition review (R12, R13).
  const business = await create('drcDrafter', {
    title: '关于进一步优化营商环境降低市场主体制度性交易成本的若干措施',
    body: '第一条 为持续优化营商环境，降低市场主体制度性交易成本，制定本措施。\n第二条 全面推行涉企事项“一网通办”。\n第三条 ……',
    coDepartments: ['市市场监督管理局'],
    particulars: {
      touchesMarket: true,
      affectsEnterprises: true,
      disclosure: { attribute: 'proactive', reason: null },
      fairCompetition: { conclusion: 'compliant', summary: '经逐条审查，未发现排除、限制竞争的内容。' },
    },
    interpretation: interpretation('优化营商环境若干措施'),
  });
  await drive(business, [
    ['drcDrafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['drcHead', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['drcDrafter', { type: 'FINALIZE_TEXT' }],
    ['drcHead', { type: 'SUBMIT' }],
    ['clerk', { type: 'ACCEPT' }],
  ]);

  // 2. A major decision out for public comment (R8, R10).
  const fares = await create('transportDrafter', {
    title: '城市公共交通票价调整方案（征求意见稿）',
    body: '一、调整原则：保本微利、鼓励公交出行。\n二、调整内容：普通线路票价由1元调整为1.5元，老年人、残疾人继续免费乘车。',
    coDepartments: ['市财政局'],
    particulars: {
      majorDecision: true,
      livelihoodAreas: ['publicUtilities'],
      meetingPlan: true,
      disclosure: { attribute: 'proactive', reason: null },
    },
    interpretation: interpretation('公共交通票价调整方案'),
  });
  await drive(fares, [
    [
      'transportDrafter',
      {
        type: 'START_CONSULTATION',
        endsAt: new Date(Date.now() + 31 * 86_400_000).toISOString(),
        basis: '《中华人民共和国价格法》第二十三条；《政府制定价格听证办法》',
        background: '本市公交票价自2016年起未作调整，其间人工、能源等运营成本上涨约40%。',
        explanation: '方案拟将普通线路票价由1元调整为1.5元，老年人、残疾人、现役军人继续免费乘车，学生半价。',
      },
    ],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', note: '经审查，不涉及国家秘密和工作秘密' }],
  ]);
  // A few public comments, one with personal data that the public never sees (R16).
  const opinions: Array<[number | null, string, string | null, string | null]> = [
    [null, '总体支持，建议同步提高公交准点率。', '李女士', 'li@example.com'],
    [null, '反对票价上涨，公交是民生工程，应由财政补贴。', null, null],
    [null, '反对票价上涨，公交是民生工程，应由财政补贴！', '张先生', null],
    [null, '建议学生也纳入免费乘车范围。我的电话13912345678，可以联系我。', '赵同学', 'zhao@example.com'],
  ];
  for (const [article, body, name, email] of opinions) {
    await services.comments.submit(fares, { article, paragraph: null, body, name, email, phone: null }, '127.0.0.1', new Date());
  }

  // 3. Returned at intake: the interpretation was never approved (R2, R18).
  const afterSchool = await create('educationDrafter', {
    title: '义务教育阶段学校课后服务管理办法',
    body: '第一条 为规范义务教育阶段学校课后服务，减轻家长负担，制定本办法。',
    coDepartments: [],
    particulars: { documentKind: 'other', disclosure: { attribute: 'proactive', reason: null } },
    interpretation: { plan: '通过政府网站发布政策问答。', materials: { background: '落实“双减”政策要求。' }, forms: ['policyQa'] },
  });
  await drive(afterSchool, [
    ['educationDrafter', { type: 'FINALIZE_TEXT' }],
    ['educationHead', { type: 'SUBMIT' }],
  ]);

  // 4. Published together with its interpretation (R6).
  const eldercare = await create('civilDrafter', {
    title: '关于促进养老服务高质量发展的实施意见',
    body: '一、总体要求\n二、重点任务：完善居家社区养老服务网络……\n三、保障措施',
    coDepartments: ['市卫生健康委员会'],
    particulars: { disclosure: { attribute: 'proactive', reason: null } },
    interpretation: interpretation('养老服务高质量发展实施意见'),
  });
  await drive(eldercare, [
    ['civilDrafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['civilHead', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['civilDrafter', { type: 'FINALIZE_TEXT' }],
    ['civilHead', { type: 'SUBMIT' }],
    ['clerk', { type: 'ACCEPT' }],
    ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '经审查，符合法律法规规定。' }],
    ['meetingSecretary', { type: 'ADOPT', meeting: '市政府第21次常务会议' }],
    ['signer', { type: 'SIGN', documentNumber: '某政发〔2026〕21号' }],
    ['publisher', { type: 'PUBLISH', url: 'https://www.example.gov.cn/zwgk/2026/21.html' }],
  ]);
  // Read back rather than assumed: the stage each sample really reached.
  return Promise.all(
    made.map(async (id) => {
      const view = await service.get(actors.assessor, id);
      return { id, title: view.title, leadDepartment: view.leadDepartment, stage: view.stage };
    }),
  );
}

/**
 * Registers the demo staff; returns their actors and, for the terminal, one ready-to-paste
 * `export VARIABLE=token` line per person, with who they are as a shell comment.
 */
export async function seedStaff(repositories: Repositories): Promise<{ actors: Record<string, Actor>; exports: string }> {
  const directory = new StaffDirectory(repositories.staff);
  const actors: Record<string, Actor> = {};
  const lines: Array<[string, string]> = [];
  for (const staff of STAFF) {
    const { token, record } = await directory.register({
      name: staff.name,
      email: `${staff.key}@example.gov.cn`,
      role: staff.role,
      department: staff.department,
    });
    actors[staff.key] = { id: String(record._id), name: staff.name, role: staff.role, department: staff.department };
    // Tokens are base64url after `pd_`: nothing in them a shell would expand or split.
    lines.push([`export ${staff.variable}=${token}`, `# ${staff.name} ${ROLE_LABELS[staff.role]} ${staff.department ?? ''}`.trimEnd()]);
  }
  const width = Math.max(...lines.map(([assignment]) => assignment.length));
  return { actors, exports: lines.map(([assignment, who]) => `${assignment.padEnd(width)}  ${who}`).join('\n') };
}

/** The demo city and its departments; the drafting departments are the ones the staff above belong to. */
const CITY = { name: '示例市', divisionCode: '350100' };
const DEPARTMENTS: Array<{ name: string; shortName: string; kind: keyof typeof DEPARTMENT_KIND_LABELS; organisationCode: string }> = [
  { name: '示例市人民政府', shortName: '市政府', kind: 'government', organisationCode: '003000001' },
  { name: '示例市人民政府办公厅', shortName: '市政府办公厅', kind: 'generalOffice', organisationCode: '003000002' },
  { name: DRC, shortName: '市发展改革委', kind: 'department', organisationCode: '003000003' },
  { name: TRANSPORT, shortName: '市交通运输局', kind: 'department', organisationCode: '003000004' },
  { name: EDUCATION, shortName: '市教育局', kind: 'department', organisationCode: '003000005' },
  { name: CIVIL, shortName: '市民政局', kind: 'department', organisationCode: '003000006' },
];

/**
 * A demo code of a government organ (机构编制 1, 机关 1) in the city's division: well formed, its
 * check character computed per GB 32100-2015 — the administrator replaces it with the real one.
 */
export function demoCode(organisationCode: string): string {
  const first17 = `11${CITY.divisionCode}${organisationCode}`;
  return first17 + usccCheckCharacter(first17);
}

/**
 * The jurisdiction and its departments, entered by the seeded administrator through the same
 * directory (and so on the security audit trail). A database that has the city already keeps it.
 */
export async function seedOrganisation(repositories: Repositories, administrator: Actor): Promise<number> {
  const organisation = new OrganisationDirectory(repositories.organisation, new AuditTrail(repositories.securityAudit));
  const by = { actor: administrator, ip: null, at: new Date(), route: 'npm run seed' };
  if ((await organisation.jurisdictions(by)).some((j) => j.name === CITY.name)) return 0;
  const city = await organisation.createJurisdiction(by, { ...CITY, parent: null });
  let government: string | null = null;
  for (const d of DEPARTMENTS) {
    const parent = d.kind === 'government' ? null : government;
    const created = await organisation.createDepartment(by, { name: d.name, shortName: d.shortName, code: demoCode(d.organisationCode), kind: d.kind, jurisdiction: city.id, parent });
    if (d.kind === 'government') government = created.id;
  }
  return DEPARTMENTS.length;
}

/** One line per sample filing: its id, stage and title, for the README's walk and the console. */
export function describeFilings(filings: SeededFiling[]): string {
  return filings.map((f) => `  ${f.id}  ${f.stage}（${STAGE_LABELS[f.stage]}）  ${f.title}（${f.leadDepartment}）`).join('\n');
}

async function main(): Promise<void> {
  let connection: Connection | null = null;
  try {
    const db = await openScriptDatabase();
    connection = db.connection;
    const { actors, exports } = await seedStaff(db.repositories);
    process.stdout.write(`# 演示用户的访问令牌仅显示这一次。将以下各行粘贴到终端，即可按 README 中的 curl 示例操作：\n${exports}\n\n`);
    const departments = await seedOrganisation(db.repositories, actors.administrator);
    process.stdout.write(departments ? `# 已添加行政区域“${CITY.name}”及其 ${departments} 个部门（统一社会信用代码为演示代码，请由系统管理员更正）。\n` : `# 行政区域“${CITY.name}”已存在，未再添加。\n`);

    if (!(await db.repositories.filings.isEmpty())) {
      process.stdout.write('# 数据库中已有文件，未再添加示例文件。\n');
      return;
    }
    const made = await seedFilings(db.repositories, actors);
    process.stdout.write(`# 已添加示例文件（编号、阶段、标题）：\n${describeFilings(made).replace(/^/gm, '#')}\n`);
  } catch (error) {
    process.stderr.write(`初始化失败：${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await connection?.close();
  }
}

if (require.main === module) void main();
