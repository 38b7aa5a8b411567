import { StaffDirectory } from '../auth';
import { CommentDesk } from '../consultation/comments';
import { ConsultationDesk } from '../consultation/desk';
import { ConsultationWorkbench } from '../consultation/workbench';
import { ReportPages } from '../consultation/report-page';
import { DEFAULT_PERIOD_SETTINGS, type PeriodSettings } from '../consultation/period';
import { MailComposer, type MailSettings } from '../mail/compose';
import { Mailbox } from '../mail/mailbox';
import { MailTemplates } from '../mail/templates';
import { FilingStore } from '../store/filings';
import type { Models } from '../store/models';
import { DEFAULT_DEADLINES, type DeadlineSettings } from '../workflow/deadlines';
import { FilingService } from '../workflow/filings';

/** The application's objects, wired once: the service, the scripts and the tests share it. */
export interface Services {
  models: Models;
  store: FilingStore;
  comments: CommentDesk;
  workbench: ConsultationWorkbench;
  reportPages: ReportPages;
  staff: StaffDirectory;
  filings: FilingService;
  mailbox: Mailbox;
}

export const PRODUCT_NAME = '政策解读与重大决策预公开系统';

export function mailSettings(config: { from: string; publicBaseUrl: string; publicationWorkingDays: number }): MailSettings {
  // Message-IDs end in the sender's own domain, as mail servers expect.
  const domain = /@([^>\s]+)>?\s*$/.exec(config.from)?.[1] ?? 'predisclosure.local';
  return {
    productName: PRODUCT_NAME,
    baseUrl: config.publicBaseUrl,
    messageIdDomain: domain,
    publicationWorkingDays: config.publicationWorkingDays,
  };
}

export function buildServices(
  models: Models,
  mail: MailSettings,
  options: { clock?: () => Date; periods?: PeriodSettings; deadlines?: Partial<DeadlineSettings> } = {},
): Services {
  const store = new FilingStore(models);
  const staff = new StaffDirectory(models);
  const comments = new CommentDesk(models, store);
  const desk = new ConsultationDesk(models, store, comments, options.periods ?? DEFAULT_PERIOD_SETTINGS);
  // R6's limit is one setting, read by the mail (the publisher's reminder) and the lists alike.
  const deadlines: DeadlineSettings = { ...DEFAULT_DEADLINES, publicationWorkingDays: mail.publicationWorkingDays, ...options.deadlines };
  const filings = new FilingService(store, new MailComposer(staff, new MailTemplates(), mail), desk, deadlines, options.clock);
  return {
    models,
    store,
    staff,
    filings,
    mailbox: new Mailbox(models),
    comments,
    workbench: new ConsultationWorkbench(filings, comments, desk, options.clock),
    reportPages: new ReportPages(),
  };
}
