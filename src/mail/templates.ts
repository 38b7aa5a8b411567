import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { MAIL_TEMPLATES, type MailTemplate } from '../../machines/notifications';
import { PROJECT_ROOT } from '../config';

/** Everything any mail template may reference; absent values are null, never missing. */
export interface MailData {
  subject?: string;
  messageRef: string;
  product: { name: string };
  recipient: { name: string; roleLabel: string };
  filing: { reference: string; title: string; leadDepartment: string; stageLabel: string; link: string };
  action: { label: string; at: string; actorName: string; actorRole: string; actorDepartment: string | null };
  reasons: Array<{ code: string; rule: string; label: string; field: string | null }>;
  note: string | null;
  deadline: {
    date: string;
    workingDaysLeft: number;
    dueToday: boolean;
    overdue: boolean;
    overdueDays: number;
  } | null;
  /** The mail asks its recipient to act and the stage has no time limit: it says so (R19, R21). */
  noTimeLimit: boolean;
  /** A return refused by the completeness check rather than by the clerk. */
  intake: boolean;
  approved: boolean;
  fairCompetitionReviewed: boolean;
  documentNumber: string | null;
  /** R1: the disclosure attribute (公开属性) in words, and the reason for a restrictive one. */
  disclosure: { label: string | null; reason: string | null };
  /** R12: the drafting unit's conclusion, and an exception's ground, necessity and time limit; null when none was given. */
  fairCompetition: {
    conclusion: string;
    summary: string;
    exception: boolean;
    exceptionGround: string | null;
    exceptionNecessity: string | null;
    exceptionEndsOn: string | null;
  } | null;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export const MAIL_TEMPLATE_DIR = path.join(PROJECT_ROOT, 'templates', 'mail');

/**
 * Handlebars in strict mode, so a template that names a field the data lacks throws instead of
 * quietly printing nothing. HTML is escaped; subjects and plain text are not HTML, so they are
 * compiled without HTML escaping (and subjects lose line breaks, which would end the header).
 */
export class MailTemplates {
  private readonly compiled: Record<MailTemplate, { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>;
  private readonly layoutHtml: HandlebarsTemplateDelegate;
  private readonly layoutText: HandlebarsTemplateDelegate;

  constructor(dir: string = MAIL_TEMPLATE_DIR) {
    const hb = Handlebars.create();
    hb.registerHelper('ordinal', (index: number) => index + 1);
    const partials = path.join(dir, 'partials');
    for (const file of fs.readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
      hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partials, file), 'utf8'));
    }
    const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
    const html = (source: string) => hb.compile(source, { strict: true });
    const plain = (source: string) => hb.compile(source, { strict: true, noEscape: true });
    this.layoutHtml = html(read('layout.html.hbs'));
    this.layoutText = plain(read('layout.text.hbs'));
    this.compiled = Object.fromEntries(
      MAIL_TEMPLATES.map((name) => [
        name,
        {
          subject: plain(read(`${name}.subject.hbs`)),
          html: html(read(`${name}.html.hbs`)),
          text: plain(read(`${name}.text.hbs`)),
        },
      ]),
    ) as MailTemplates['compiled'];
  }

  render(name: MailTemplate, data: MailData): RenderedMail {
    const template = this.compiled[name];
    const subject = template.subject(data).replace(/[\r\n]+/g, ' ').trim();
    const withSubject = { ...data, subject };
    return {
      subject,
      html: this.layoutHtml({ ...withSubject, body: template.html(withSubject) }),
      text: this.layoutText({ ...withSubject, body: template.text(withSubject).trim() }).replace(/\n{3,}/g, '\n\n'),
    };
  }
}
