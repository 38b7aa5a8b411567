import { AuditTrail } from '../audit/trail';
import { StaffDirectory } from '../auth';
import { CommentDesk } from '../consultation/comments';
import { ConsultationDesk } from '../consultation/desk';
import { ConsultationWorkbench } from '../consultation/workbench';
import { ReportPages } from '../consultation/report-page';
import { DEFAULT_PERIOD_SETTINGS, type PeriodSettings } from '../consultation/period';
import { MailComposer, type MailSettings } from '../mail/compose';
import { Mailbox } from '../mail/mailbox';
import { MailTemplates } from '../mail/templates';
import { OrganisationDirectory } from '../organisation/directory';
import { StatisticsService } from '../statistics';
import type { FilingStore } from '../store/filings';
import type { Repositories } from '../store';
import { DEFAULT_DEADLINES, publicationDue, type DeadlineSettings } from '../workflow/deadlines';
import { FilingService } from '../workflow/filings';

/** The application's objects, wired once: the service, the scripts and the tests share it. */
export interface Services {
  /** The store, one repository per aggregate, built once: what the scheduler and scripts read too. */
  repositories: Repositories;
  /** The filings' repository (also `repositories.filings`). */
  store: FilingStore;
  comments: CommentDesk;
  workbench: ConsultationWorkbench;
  reportPages: ReportPages;
  staff: StaffDirectory;
  filings: FilingService;
  mailbox: Mailbox;
  /** Turns steps and deadlines into e-mails (R19, R6). */
  composer: MailComposer;
  /** The time limits in working days (R6, R21). */
  deadlines: DeadlineSettings;
  /** R20: the yearly figures per department. */
  statistics: StatisticsService;
  /** The security audit trail: sign-ins, administration, credentials, personal data read. */
  audit: AuditTrail;
  /** Jurisdictions and departments, changed by the system administrator. */
  organisation: OrganisationDirectory;
}

export const PRODUCT_NAME = '政策解读与重大决策预公开系统';

export function mailSettings(config: { from: string; publicBaseUrl: string }): MailSettings {
  // Message-IDs end in the sender's own domain, as mail servers expect.
  const domain = /@([^>\s]+)>?\s*$/.exec(config.from)?.[1] ?? 'predisclosure.local';
  return {
    productName: PRODUCT_NAME,
    baseUrl: config.publicBaseUrl,
    messageIdDomain: domain,
  };
}

export function buildServices(
  repositories: Repositories,
  mail: MailSettings,
  options: {
    clock?: () => Date;
    periods?: PeriodSettings;
    deadlines?: DeadlineSettings;
    /** R11: campaigns of at least this many comments are concentrated opinions. */
    concentratedMinComments?: number;
  } = {},
): Services {
  const store = repositories.filings;
  const staff = new StaffDirectory(repositories.staff);
  const comments = new CommentDesk(repositories.comments, store, repositories.reports);
  const desk = new ConsultationDesk(store, repositories.comments, repositories.reports, comments, options.periods ?? DEFAULT_PERIOD_SETTINGS, options.concentratedMinComments);
  // One set of time limits, read by the e-mails, the lists and the scheduler alike.
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  const composer = new MailComposer(staff, new MailTemplates(), mail);
  const filings = new FilingService(store, composer, desk, deadlines, options.clock);
  const audit = new AuditTrail(repositories.securityAudit);
  return {
    repositories,
    composer,
    deadlines,
    store,
    staff,
    filings,
    mailbox: new Mailbox(repositories.mail, repositories.staff),
    comments,
    workbench: new ConsultationWorkbench(filings, comments, desk, options.clock),
    reportPages: new ReportPages(),
    // R6: punctuality against the same per-kind limits as the deadlines shown on the filings.
    statistics: new StatisticsService(repositories.statistics, { publicationDue: (at, kind) => publicationDue(at, kind, deadlines) }),
    audit,
    organisation: new OrganisationDirectory(repositories.organisation, audit),
  };
}
