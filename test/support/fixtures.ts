import { emptyParticulars, type InterpretationPackage, type Particulars } from '../../machines/dossier';
import type { FilingInput } from '../../machines/filing.machine';
import type { Actor, Role } from '../../machines/roles';

export const LEAD = '市发展和改革委员会';
export const CO = '市财政局';
export const OTHER = '市教育局';

export function actor(role: Role, department: string | null = null): Actor {
  return { id: `${role}-${department ?? 'office'}`, name: `${role}@${department ?? '办公室'}`, role, department };
}

export const drafter = actor('drafter', LEAD);
export const head = actor('departmentHead', LEAD);
export const clerk = actor('clerk');

export const AT = '2026-11-20T08:00:00.000Z';

/** An interpretation covering the five R4 elements. */
export function completeInterpretation(): InterpretationPackage {
  return {
    plan: '由市发展改革委主要负责人撰文解读，并在政府网站发布政策问答。',
    materials: {
      background: '根据《优化营商环境条例》制定。',
      objectives: '降低企业制度性交易成本。',
      mainContent: '共十条措施。',
      scope: '本市行政区域内各类市场主体。',
      executionStandards: '自发布之日起施行，有效期三年。',
    },
    forms: ['officialArticle', 'policyQa'],
    items: [
      { form: 'policyQa', title: '政策问答：哪些企业可以享受？', body: '问：哪些企业可以享受？答：本市各类市场主体。', url: null },
      { form: 'video', title: '主要负责人视频解读', body: null, url: 'https://www.example.gov.cn/video/12.mp4' },
    ],
  };
}

/** Particulars that need no consultation, survey, fair competition review or meeting plan. */
export function plainParticulars(): Particulars {
  return { ...emptyParticulars('government'), disclosure: { attribute: 'proactive', reason: null } };
}

export function input(particulars: Particulars = plainParticulars(), interpretation?: InterpretationPackage): FilingInput {
  return { title: '关于进一步优化营商环境的若干措施', textSha256: 'a'.repeat(64), textLength: 100, particulars, interpretation };
}
