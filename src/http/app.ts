import helmet from 'helmet';
import express, { type NextFunction, type Request, type Response } from 'express';
import { STAGE_LABELS } from '../../machines/filing.machine';
import { eventSpec, FILING_EVENT_TYPES } from '../../machines/events';
import { REASONS, REASON_CODES } from '../../machines/reasons';
import { ROLE_LABELS, ROLES, type Actor } from '../../machines/roles';
import { confinedToAuditTrail, isAuditPath } from '../audit/access';
import { recordRequest } from '../web/audit';
import { confinedToAdministration, isAdministrationPath } from '../organisation/access';
import { adminApiRoutes } from './admin';
import { auditApiRoutes } from './audit';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { consoleRouter } from '../console/router';
import { portalRouter } from '../portal/router';
import type { Services } from '../services';
import { csvFileName, mayReadStatistics, returnsByDepartment, toCsv } from '../statistics';
import type { RedactionRequest } from '../consultation/comments';
import { errorBody, jsonErrors, requestDeadline } from '../web/errors';
import { statusOf } from '../web/status';
import { verifyJsonText, wellFormedJson, wellFormedQuery } from '../web/text';
import { apiDocument } from './openapi';
import { publicRouter, type PublicSettings } from './public';
import { parse } from '../web/validation';
import {
  commandSchema,
  commentQuerySchema,
  disposalSchema,
  listQuerySchema,
  roundParamSchema,
  mailQuerySchema,
  newFilingSchema,
  redactionSchema,
  statisticsQuerySchema,
  textVersionParamSchema,
  yearlyStatisticsQuerySchema,
} from '../web/schemas';

export interface AppDependencies {
  services: Services;
  public: PublicSettings;
  logger: Logger;
  bodyLimit: string;
  /** Reported by /health, e.g. which database backend runs. */
  describeDatabase: () => string;
  /** A request still unanswered after this long gets 503 REQUEST_TIMEOUT (default 30 s). */
  requestTimeoutMs?: number;
}

type Authed = Request & { actor: Actor };

function actorOf(req: Request): Actor {
  return (req as Authed).actor;
}

export function createApp(deps: AppDependencies): express.Express {
  const { filings, staff, mailbox, workbench, statistics, audit } = deps.services;
  const app = express();
  app.use(requestDeadline(deps.logger, deps.requestTimeoutMs ?? 30_000));
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Security headers everywhere; the public pages need no script at all.
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
      strictTransportSecurity: false,
    }),
  );
  // The public site comes first: its forms post url-encoded bodies and need no account.
  app.use(portalRouter(deps.services, { commentsPerMinute: deps.public.commentsPerMinute, csrfSecret: deps.public.csrfSecret }));
  app.use(consoleRouter(deps.services, { csrfSecret: deps.public.csrfSecret }));
  // The pages check their own queries (to answer with a page); this is the API's check.
  app.use(wellFormedQuery);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', database: deps.describeDatabase() });
  });

  // Reference data for clients: codes, labels and who may do what. Not confidential.
  app.get('/meta', (_req, res) => {
    res.json({
      roles: ROLES.map((role) => ({ role, label: ROLE_LABELS[role] })),
      stages: Object.entries(STAGE_LABELS).map(([stage, label]) => ({ stage, label })),
      reasons: REASON_CODES.map((code) => ({ code, ...REASONS[code] })),
      // Read from the event registry: what each event is called, who may send it, what it carries.
      events: FILING_EVENT_TYPES.map((type) => {
        const spec = eventSpec(type);
        return { type, label: spec.label, ...spec.who, rules: spec.rules, fields: Object.keys(spec.shape), task: spec.task };
      }),
    });
  });

  // The API contract (OpenAPI 3.1), generated from the schemas that validate requests. Not confidential.
  app.get('/openapi.json', (_req, res) => {
    res.json(apiDocument());
  });

  // Bodies are only ever JSON; anything else is refused before it reaches a handler.
  app.use((req, _res, next) => {
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    if ((hasBody || req.headers['transfer-encoding']) && !req.is('application/json')) {
      next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
      return;
    }
    next();
  });
  app.use(express.json({ limit: deps.bodyLimit, strict: true, verify: verifyJsonText }));
  app.use(wellFormedJson);

  // The public side needs no account (R8); everything below it does.
  app.use('/public', publicRouter(deps.services, deps.public));

  app.use(async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-]{1,200})$/.exec(header);
    const actor = match ? await staff.authenticate(match[1]) : null;
    if (!actor) {
      next(new AppError('UNAUTHENTICATED'));
      return;
    }
    (req as Authed).actor = actor;
    // The security auditor reads the trail and changes nothing: no filing, statistics or mail.
    if (confinedToAuditTrail(actor) && !isAuditPath(req.path) && req.path !== '/me') {
      next(new AppError('FORBIDDEN_ROLE', { reason: 'securityAuditorOnly' }));
      return;
    }
    // The administrator manages accounts and departments and sees no filing content (三员分立).
    // The trail's routes refuse them on their own, and record the attempt.
    if (confinedToAdministration(actor) && !isAdministrationPath(req.path) && !isAuditPath(req.path) && req.path !== '/me') {
      next(new AppError('FORBIDDEN_ROLE', { reason: 'administratorOnly' }));
      return;
    }
    next();
  });

  auditApiRoutes(app, deps.services, actorOf);
  adminApiRoutes(app, deps.services, actorOf);

  app.get('/me', (req, res) => {
    res.json(actorOf(req));
  });

  app.get('/filings', async (req, res) => {
    const query = parse(listQuerySchema, req.query);
    res.json(await filings.list(actorOf(req), query));
  });

  app.post('/filings', async (req, res) => {
    const body = parse(newFilingSchema, req.body);
    const view = await filings.create(actorOf(req), body);
    res.status(201).location(`/filings/${view.id}`).json(view);
  });

  app.get('/filings/:id', async (req, res) => {
    res.json(await filings.get(actorOf(req), req.params.id));
  });

  app.get('/filings/:id/completeness', async (req, res) => {
    res.json({ deficiencies: await filings.completeness(actorOf(req), req.params.id) });
  });

  app.get('/filings/:id/history', async (req, res) => {
    res.json({ history: await filings.history(actorOf(req), req.params.id) });
  });

  // R15: the hash-chained ledger of one filing, as JSON, with the result of checking its chain.
  app.get('/filings/:id/ledger', async (req, res) => {
    const exported = await filings.ledger(actorOf(req), req.params.id);
    // Staff names and the notes of every step leave the system with the file: recorded first.
    await recordRequest(audit, req, actorOf(req), 'personalDataExported', { type: 'filing', id: exported.filing.id, label: exported.filing.reference }, {
      what: '办理记录（含经办人员姓名）',
      count: exported.entries.length,
    });
    res.attachment(`ledger-${exported.filing.reference}.json`).json(exported);
  });

  app.get('/filings/:id/texts', async (req, res) => {
    res.json({ versions: await filings.textVersions(actorOf(req), req.params.id) });
  });

  app.get('/filings/:id/texts/:version', async (req, res) => {
    const version = parse(textVersionParamSchema, req.params.version);
    res.json(await filings.text(actorOf(req), req.params.id, version));
  });

  app.post('/filings/:id/events', async (req, res) => {
    const command = parse(commandSchema, req.body);
    const { view, intakeRefusal } = await filings.send(actorOf(req), req.params.id, command);
    if (intakeRefusal) {
      // R18: refused at intake with the full list; the return is recorded and counted.
      res.status(statusOf('FILING_INCOMPLETE')).json({ ...errorBody(new AppError('FILING_INCOMPLETE', { deficiencies: intakeRefusal })), filing: view });
      return;
    }
    res.json(view);
  });

  // R20: the yearly figures, for the general office and the assessors only.
  const statisticsReaders = (req: Request) => {
    if (!mayReadStatistics(actorOf(req))) throw new AppError('FORBIDDEN_ROLE');
  };

  app.get('/statistics', async (req, res) => {
    statisticsReaders(req);
    const { year, department } = parse(yearlyStatisticsQuerySchema, req.query);
    res.json(await statistics.yearly(year, { department }));
  });

  // The same figures as a spreadsheet for the annual report (BOM, one row per department, 合计).
  app.get('/statistics/csv', async (req, res) => {
    statisticsReaders(req);
    const { year, department } = parse(yearlyStatisticsQuerySchema, req.query);
    const csv = toCsv(await statistics.yearly(year, { department }));
    res.attachment(csvFileName(year, department)).type('text/csv; charset=utf-8').send(csv);
  });

  // R18: returns per department and reason; the calendar year is China Standard Time's.
  app.get('/statistics/returns', async (req, res) => {
    statisticsReaders(req);
    const { year } = parse(statisticsQuerySchema, req.query);
    res.json({ year, departments: returnsByDepartment(await statistics.yearly(year)) });
  });

  // R19: the outbox, for the general office that runs the system.
  const mailOperators = (req: Request) => {
    const { role } = actorOf(req);
    if (role !== 'clerk' && role !== 'assessor') throw new AppError('FORBIDDEN_ROLE');
  };

  app.get('/mail', async (req, res) => {
    mailOperators(req);
    const query = parse(mailQuerySchema, req.query);
    const { items, total } = await mailbox.list(query.status, query.page, query.pageSize);
    await recordRequest(audit, req, actorOf(req), 'personalDataRead', null, { what: '邮件收件人及地址', count: items.length, page: query.page });
    res.json({ items, total, page: query.page, pageSize: query.pageSize });
  });

  app.get('/mail/:messageId', async (req, res) => {
    mailOperators(req);
    const found = await mailbox.message(req.params.messageId);
    await recordRequest(audit, req, actorOf(req), 'personalDataRead', { type: 'mail', id: req.params.messageId, label: found.message.subject }, {
      what: '邮件全文及收件人地址',
    });
    res.json(found);
  });

  app.post('/mail/:messageId/resend', async (req, res) => {
    if (actorOf(req).role !== 'clerk') throw new AppError('FORBIDDEN_ROLE');
    await mailbox.resend(req.params.messageId, new Date());
    res.json(await mailbox.message(req.params.messageId));
  });

  app.get('/filings/:id/mail', async (req, res) => {
    const head = await filings.visible(actorOf(req), req.params.id);
    const messages = await mailbox.forFiling(head._id);
    await recordRequest(audit, req, actorOf(req), 'personalDataRead', { type: 'filing', id: String(head._id), label: head.reference }, {
      what: '邮件收件人及地址',
      count: messages.length,
    });
    res.json({ messages });
  });

  // Comments and their dispositions (R11, R16), for staff; the rules live in the workbench.
  app.get('/filings/:id/comments', async (req, res) => {
    const query = parse(commentQuerySchema, req.query);
    const { head, items, total } = await workbench.commentsOf(actorOf(req), req.params.id, query);
    // Comments as written, with their authors' contact details (R16): recorded. Masked ones are what the public reads.
    if (workbench.revealsOriginal(actorOf(req), head)) {
      await recordRequest(audit, req, actorOf(req), 'personalDataRead', { type: 'filing', id: String(head._id), label: head.reference }, {
        what: '公众意见原文及联系方式',
        round: query.round,
        page: query.page,
        count: items.length,
      });
    }
    res.json({ items, total, page: query.page, pageSize: query.pageSize });
  });

  // R16: a reviewer masks what no pattern caught; recorded on the ledger and on the comment.
  app.post('/filings/:id/comments/:commentId/redactions', async (req, res) => {
    const request = parse(redactionSchema, req.body) as RedactionRequest;
    const redacted = await workbench.redact(actorOf(req), req.params.id, req.params.commentId, request);
    // R16: which comment and why — never the words it hid.
    await recordRequest(audit, req, actorOf(req), 'personalDataRedacted', { type: 'comment', id: req.params.commentId, label: `意见 ${req.params.commentId}` }, {
      filing: req.params.id,
      reason: request.reason,
    });
    res.status(201).json(redacted);
  });

  app.get('/filings/:id/consultations/:round/clusters', async (req, res) => {
    const round = parse(roundParamSchema, req.params.round);
    const clusters = await workbench.clusters(actorOf(req), req.params.id, round);
    res.json({ clusters, concentratedMinComments: workbench.concentratedMinComments });
  });

  app.post('/filings/:id/consultations/:round/dispositions', async (req, res) => {
    const round = parse(roundParamSchema, req.params.round);
    const disposal = parse(disposalSchema, req.body);
    res.json({ disposed: await workbench.dispose(actorOf(req), req.params.id, round, disposal) });
  });

  app.use((_req, _res, next) => next(new AppError('ROUTE_NOT_FOUND')));
  app.use(jsonErrors(deps.logger));
  return app;
}
