import { StaffDirectory } from '../auth';
import { CommentDesk } from '../consultation/comments';
import { ConsultationDesk } from '../consultation/desk';
import { ReportPages } from '../consultation/report-page';
import { DEFAULT_PERIOD_SETTINGS, type PeriodSettings } from '../consultation/period';
import { MailComposer, type MailSettings } from '../mail/compose';
import { Mailbox } from '../mail/mailbox';
import { MailTemplates } from '../mail/templates';
import { FilingStore } from '../store/filings';
import type { Models } from '../store/models';
import { FilingService } from '../workflow/filings';

/** The application's objects, wired once: the service, the scripts and the tests share it. */
export interface Services {
  models: Models;
  store: FilingStore;
  comments: CommentDesk;
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
  options: { clock?: () => Date; periods?: PeriodSettings } = {},
): Services {
  const store = new FilingStore(models);
  const staff = new StaffDirectory(models);
  const comments = new CommentDesk(models, store);
  const desk = new ConsultationDesk(models, store, comments, options.periods ?? DEFAULT_PERIOD_SETTINGS);
  const filings = new FilingService(store, new MailComposer(staff, new MailTemplates(), mail), desk, options.clock);
  return {
    models,
    store,
    staff,
    filings,
    mailbox: new Mailbox(models),
    comments,
    reportPages: new ReportPages(),
  };
}
