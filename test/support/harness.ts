import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import request from 'supertest';
import { SYSTEM_ACTOR, type Actor, type StaffRole } from '../../machines/roles';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { buildServices, mailSettings, type Services } from '../../src/services';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import type { FilingCommand, FilingService, NewFiling } from '../../src/workflow/filings';
import { connectTestDatabase } from './db';
import { CO, completeInterpretation, LEAD, OTHER, plainParticulars } from './fixtures';
import { createRepositories } from '../../src/store';

/** The staff every HTTP test can act as. */
export const STAFF = {
  drafter: { role: 'drafter', department: LEAD },
  head: { role: 'departmentHead', department: LEAD },
  coDrafter: { role: 'drafter', department: CO },
  coHead: { role: 'departmentHead', department: CO },
  otherDrafter: { role: 'drafter', department: OTHER },
  otherHead: { role: 'departmentHead', department: OTHER },
  clerk: { role: 'clerk', department: null },
  confidentialityReviewer: { role: 'confidentialityReviewer', department: null },
  legalReviewer: { role: 'legalReviewer', department: null },
  fairCompetitionReviewer: { role: 'fairCompetitionReviewer', department: null },
  meetingSecretary: { role: 'meetingSecretary', department: null },
  signer: { role: 'signer', department: null },
  publisher: { role: 'publisher', department: null },
  assessor: { role: 'assessor', department: null },
  // Reads the security audit trail and nothing else (三员分立).
  auditor: { role: 'securityAuditor', department: null },
  // Manages departments, staff and roles; sees no filing content (三员分立).
  admin: { role: 'administrator', department: null },
  // New roles with no filing events yet: a department's open-government office, the opinion desk.
  openGovernmentOffice: { role: 'openGovernmentOffice', department: LEAD },
  opinionDesk: { role: 'opinionDesk', department: null },
} as const satisfies Record<string, { role: StaffRole; department: string | null }>;
export type StaffKey = keyof typeof STAFF;
/** Staff, or the product itself (closing comment periods). */
export type Who = StaffKey | 'system';

export const TEST_MAIL_SETTINGS = mailSettings({
  from: '"政策解读与预公开系统" <noreply@predisclosure.test>',
  publicBaseUrl: 'https://predisclosure.test',
});

export interface Harness {
  app: Express;
  /**
   * The app listening on a loopback port for the whole file. supertest given the app itself
   * listens on a new port and connects anew for every request, which costs more than most
   * requests do; given this server, it reuses its kept-alive connections.
   */
  server: Server;
  models: Models;
  services: Services;
  service: FilingService;
  tokens: Record<StaffKey, string>;
  actors: Record<Who, Actor>;
  /** supertest with the bearer token of `who`. */
  as(who: StaffKey): {
    get(url: string): request.Test;
    post(url: string, body?: unknown): request.Test;
  };
  close(): Promise<void>;
}

/** `clock`: the services' time, for tests of dated steps (the API's own requests run on it too). */
export async function startHarness(options: { clock?: () => Date } = {}): Promise<Harness> {
  const db = await connectTestDatabase();
  try {
    return await assemble(db, options.clock);
  } catch (error) {
    // A harness that fails to start must not leave its connection open and jest hanging.
    await db.close();
    throw error;
  }
}

async function assemble(db: Awaited<ReturnType<typeof connectTestDatabase>>, clock?: () => Date): Promise<Harness> {
  const models = createModels(db.connection);
  await ensureIndexes(models);
  const services = buildServices(createRepositories(models), TEST_MAIL_SETTINGS, { clock });
  const { staff } = services;
  const service = services.filings;
  const app = createApp({
    services,
    public: { commentsPerMinute: 1000 },
    logger: silentLogger,
    bodyLimit: '2mb',
    describeDatabase: () => 'test',
  });
  const tokens = {} as Record<StaffKey, string>;
  const actors = { system: SYSTEM_ACTOR } as Record<Who, Actor>;
  for (const [key, spec] of Object.entries(STAFF) as Array<[StaffKey, (typeof STAFF)[StaffKey]]>) {
    const { token, record } = await staff.register({
      name: `测试${key}`,
      email: `${key}@example.gov.cn`,
      role: spec.role,
      department: spec.department,
    });
    tokens[key] = token;
    actors[key] = { id: String(record._id), name: record.name, role: record.role, department: record.department };
  }
  // Last, so that nothing before it can fail and leave a server listening.
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    app,
    server,
    models,
    services,
    service,
    tokens,
    actors,
    as(who) {
      const auth = `Bearer ${tokens[who]}`;
      return {
        get: (url) => request(server).get(url).set('Authorization', auth),
        post: (url, body) => {
          const test = request(server).post(url).set('Authorization', auth);
          return body === undefined ? test : test.send(body as object);
        },
      };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** A filing that passes the completeness check once its interpretation is approved. */
export function completeFiling(overrides: Partial<NewFiling> = {}): NewFiling {
  return {
    title: '关于进一步优化营商环境的若干措施',
    body: '第一条 为进一步优化营商环境，制定本措施。\n第二条 ……',
    coDepartments: [CO],
    particulars: plainParticulars(),
    interpretation: completeInterpretation(),
    ...overrides,
  };
}

/** A valid request for a 31-day comment period starting now (R9). */
export function consultationRequest(days = 31) {
  return {
    endsAt: new Date(Date.now() + days * 86_400_000).toISOString(),
    basis: '《中华人民共和国价格法》第二十三条',
    background: '现行标准已执行十年，运营成本变化较大。',
    explanation: '本方案拟调整普通线路票价，老年人等群体继续免费乘车。',
  };
}

type CommandBody = FilingCommand extends infer C ? (C extends unknown ? Omit<C, 'version'> : never) : never;
export type Step = [Who, CommandBody];

/** Steps that take a fresh complete filing to each stage, by the people entitled to them. */
export const ROUTES = {
  awaitingIntake: [
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
  ],
  review: [['clerk', { type: 'ACCEPT' }]],
  consultationRequested: [['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }]],
  consultation: [['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }]],
  disposition: [['system', { type: 'CLOSE_CONSULTATION' }]],
  adoptionReportReview: [['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }]],
  awaitingDecision: [['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '经审查，合法' }]],
  deferred: [['meetingSecretary', { type: 'DEFER', meeting: '第12次常务会议', note: '待补充调研' }]],
  signing: [['meetingSecretary', { type: 'ADOPT', meeting: '第12次常务会议' }]],
  awaitingPublication: [['signer', { type: 'SIGN', documentNumber: '某政发〔2026〕12号' }]],
  published: [['publisher', { type: 'PUBLISH' }]],
} satisfies Record<string, Step[]>;

export async function drive(h: Harness, id: string, steps: Step[]): Promise<void> {
  if (steps.length === 0) return;
  const { version } = await h.service.get(h.actors[steps[0][0]], id);
  await driveFrom(h, id, version, steps);
}

/**
 * Sends the steps one after the other, each with the version the one before it returned: fixtures
 * are built step by step all over the suite, and reading the filing again before each step was a
 * third of their database round trips. Returns the version reached.
 */
async function driveFrom(h: Harness, id: string, version: number, steps: Step[]): Promise<number> {
  let current = version;
  for (const [who, command] of steps) {
    const { view } = await h.service.send(h.actors[who], id, { ...command, version: current } as FilingCommand);
    current = view.version;
  }
  return current;
}

/** Creates a complete filing (lead: LEAD, co: CO) and walks it along the given routes. */
export async function filingAt(h: Harness, routes: Array<keyof typeof ROUTES>, overrides: Partial<NewFiling> = {}): Promise<string> {
  const view = await h.service.create(h.actors.drafter, completeFiling(overrides));
  await driveFrom(h, view.id, view.version, routes.flatMap((route) => ROUTES[route] as Step[]));
  return view.id;
}
