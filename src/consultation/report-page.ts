import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { formatCst } from '../calendar';
import { PROJECT_ROOT } from '../config';
import type { DispositionOutcome, ReportRecord } from '../store/records';
import { concentratedCampaigns } from './report';

const OUTCOME_LABELS: Record<DispositionOutcome, string> = {
  adopted: '采纳',
  partlyAdopted: '部分采纳',
  notAdopted: '未采纳',
  notApplicable: '不适用',
};

/** The adoption report as a public page (R11); Handlebars escapes every comment and text. */
export class ReportPages {
  private readonly template: HandlebarsTemplateDelegate;

  constructor(file = path.join(PROJECT_ROOT, 'templates', 'reports', 'adoption-report.html.hbs')) {
    const hb = Handlebars.create();
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('outcomeLabel', (outcome: DispositionOutcome) => OUTCOME_LABELS[outcome]);
    this.template = hb.compile(fs.readFileSync(file, 'utf8'), { strict: true });
  }

  render(report: ReportRecord, title: string, reference: string): string {
    return this.template({
      report,
      title,
      reference,
      generatedAt: formatCst(report.generatedAt),
      campaigns: concentratedCampaigns(report),
      threshold: report.concentratedMinComments ?? null,
    });
  }
}
