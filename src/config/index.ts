import { DEFAULT_CONCENTRATED_MIN_COMMENTS } from '../consultation/report';
import { DEFAULT_PERIOD_SETTINGS, type PeriodSettings } from '../consultation/period';
import type { DeadlineSettings } from '../workflow/deadlines';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** A real MongoDB (production: a replica set). Unset: an embedded one is started. */
  mongodbUri: string | null;
  databaseName: string;
  /** Where the embedded database keeps its files and its address for the scripts. */
  dataDir: string;
  bodyLimit: string;
  logLevel: string;
  /** R21: a JSON file with a newer year's holidays and adjusted working days. */
  calendarFile: string | null;
  /** Comments one client may post per minute (per service instance). */
  commentsPerMinute: number;
  /** Signs the public forms' CSRF tokens; set it when several instances serve the site. */
  csrfSecret: string | undefined;
  /** How often the scheduler looks for comment periods that have ended (R9). */
  schedulePollMs: number;
  /** Time limits in working days (R6, R21), per jurisdiction. */
  deadlines: DeadlineSettings;
  /** R9: the minimum comment periods, per jurisdiction. */
  periods: PeriodSettings;
  mail: {
    /** Unset: messages are caught as .eml files in `dir` instead of sent. */
    smtpUrl: string | null;
    dir: string;
    from: string;
    /** Base of the links in e-mails. */
    publicBaseUrl: string;
    pollMs: number;
    /** How long a dispatcher holds a message it is sending before another may take it over. */
    leaseMs: number;
    /** First retry delay after a failed delivery; doubles up to an hour. */
    retryMs: number;
  };
  /** How long a request waits for an unreachable database before answering 503. */
  databaseTimeoutMs: number;
  /** Every request is answered within this, if need be with 503 REQUEST_TIMEOUT. */
  requestTimeoutMs: number;
  /** R11: campaigns of at least this many comments are concentrated opinions (相对集中的意见). */
  concentratedMinComments: number;
}

/** The project folder, whether running from `src/config` or compiled `dist/src/config`. */
export const PROJECT_ROOT = ((): string => {
  const twoUp = path.resolve(__dirname, '..', '..');
  return path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;
})();

export function integer(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 10_000_000) {
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

/** A setting that may not go below a floor (a statute's minimum, or what still makes sense). */
export function atLeast(minimum: number, name: string, value: number): number {
  if (value < minimum) throw new Error(`${name} must be at least ${minimum}, got ${value}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Every setting from the environment given, so a test (or a script) can pass its own.
  const int = (name: string, fallback: number) => integer(name, fallback, env);
  const statutory = (name: string, minimum: number) => atLeast(minimum, name, int(name, minimum));
  const port = int('PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(env.PREDISCLOSURE_DATA_DIR || path.join(PROJECT_ROOT, 'data'));
  return {
    port,
    host,
    mongodbUri: env.MONGODB_URI || null,
    databaseName: env.MONGODB_DB || 'predisclosure',
    dataDir,
    bodyLimit: env.BODY_LIMIT || '2mb',
    logLevel: env.LOG_LEVEL || 'info',
    calendarFile: env.CALENDAR_FILE || null,
    commentsPerMinute: int('COMMENTS_PER_MINUTE', 10),
    csrfSecret: env.CSRF_SECRET || undefined,
    schedulePollMs: int('SCHEDULE_POLL_MS', 30_000),
    databaseTimeoutMs: int('MONGODB_TIMEOUT_MS', 5_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000),
    // A campaign is two comments or more: a smaller threshold would make every comment one.
    concentratedMinComments: atLeast(2, 'CONCENTRATED_OPINION_MIN_COMMENTS', int('CONCENTRATED_OPINION_MIN_COMMENTS', DEFAULT_CONCENTRATED_MIN_COMMENTS)),
    deadlines: {
      // R6: one limit for every kind of document, unless a kind has its own.
      publicationWorkingDays: {
        rule: int('PUBLICATION_WORKING_DAYS_RULE', int('PUBLICATION_WORKING_DAYS', 3)),
        normative: int('PUBLICATION_WORKING_DAYS_NORMATIVE', int('PUBLICATION_WORKING_DAYS', 3)),
        other: int('PUBLICATION_WORKING_DAYS_OTHER', int('PUBLICATION_WORKING_DAYS', 3)),
      },
      reviewWorkingDays: int('REVIEW_WORKING_DAYS', 5),
      reminderWorkingDays: int('DEADLINE_REMINDER_WORKING_DAYS', 1),
    },
    // R9: the statutory minimums are the defaults; a jurisdiction may set longer ones, never
    // shorter (a shorter period is an exception with a published reason, filing by filing).
    periods: {
      ruleOrMajorDecisionDays: statutory('COMMENT_DAYS_RULE_OR_MAJOR_DECISION', DEFAULT_PERIOD_SETTINGS.ruleOrMajorDecisionDays),
      normativeWorkingDays: statutory('COMMENT_WORKING_DAYS_NORMATIVE', DEFAULT_PERIOD_SETTINGS.normativeWorkingDays),
      enterpriseDays: statutory('COMMENT_DAYS_ENTERPRISES', DEFAULT_PERIOD_SETTINGS.enterpriseDays),
      // Other drafts have no statutory minimum: the week is this product's default.
      otherWorkingDays: atLeast(1, 'COMMENT_WORKING_DAYS_OTHER', int('COMMENT_WORKING_DAYS_OTHER', DEFAULT_PERIOD_SETTINGS.otherWorkingDays)),
    },
    mail: {
      smtpUrl: env.SMTP_URL || null,
      dir: path.resolve(env.MAIL_DIR || path.join(dataDir, 'mail')),
      from: env.MAIL_FROM || '"政策解读与预公开系统" <noreply@predisclosure.local>',
      publicBaseUrl: env.PUBLIC_BASE_URL || `http://${host}:${port}`,
      pollMs: int('MAIL_POLL_MS', 2000),
      leaseMs: int('MAIL_LEASE_MS', 120_000),
      retryMs: int('MAIL_RETRY_MS', 30_000),
    },
  };
}
