import type { Connection } from './connection';
import { CommentStore } from './comments';
import { CredentialStore, OneTimeLinkStore } from './credentials';
import { FilingStore } from './filings';
import { MailStore } from './mail';
import { OrganisationStore } from './organisation';
import { createModels, ensureIndexes, type Models } from './models';
import { ReportStore } from './reports';
import { SecurityAuditStore } from './security-audit';
import { StaffStore } from './staff';
import { StatisticsReads } from './statistics';

/**
 * The store, one repository per aggregate. Nothing outside src/store touches the database
 * otherwise: these are what the services, the scheduler and the scripts are given.
 */
export interface Repositories {
  filings: FilingStore;
  comments: CommentStore;
  reports: ReportStore;
  staff: StaffStore;
  mail: MailStore;
  statistics: StatisticsReads;
  securityAudit: SecurityAuditStore;
  credentials: CredentialStore;
  oneTimeLinks: OneTimeLinkStore;
  /** Jurisdictions and departments. */
  organisation: OrganisationStore;
}

/** The repositories over one set of models; build them once per process (see CommentStore). */
export function createRepositories(models: Models): Repositories {
  return {
    filings: new FilingStore(models),
    comments: new CommentStore(models),
    reports: new ReportStore(models),
    staff: new StaffStore(models),
    mail: new MailStore(models),
    statistics: new StatisticsReads(models),
    securityAudit: new SecurityAuditStore(models),
    credentials: new CredentialStore(models),
    oneTimeLinks: new OneTimeLinkStore(models),
    organisation: new OrganisationStore(models),
  };
}

/** The repositories of a database just connected to, its indexes in place. */
export async function openRepositories(connection: Connection): Promise<Repositories> {
  const models = createModels(connection);
  await ensureIndexes(models);
  return createRepositories(models);
}
