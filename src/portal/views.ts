import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../config';

export const PORTAL_DIR = path.join(PROJECT_ROOT, 'templates', 'portal');

/**
 * The public site's pages: Handlebars with escaping on (every user text is escaped) and strict
 * mode (a page naming a missing field fails instead of printing nothing).
 */
export class PortalViews {
  private readonly pages = new Map<string, HandlebarsTemplateDelegate>();
  private readonly layout: HandlebarsTemplateDelegate;
  readonly css: string;

  constructor(dir: string = PORTAL_DIR) {
    const hb = Handlebars.create();
    for (const file of fs.readdirSync(path.join(dir, 'partials'))) {
      hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(dir, 'partials', file), 'utf8'));
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs') && f !== 'layout.hbs')) {
      this.pages.set(path.basename(file, '.hbs'), hb.compile(fs.readFileSync(path.join(dir, file), 'utf8'), { strict: true }));
    }
    this.layout = hb.compile(fs.readFileSync(path.join(dir, 'layout.hbs'), 'utf8'), { strict: true });
    this.css = fs.readFileSync(path.join(dir, 'portal.css'), 'utf8');
  }

  render(page: string, title: string, data: Record<string, unknown>, nav: Partial<Record<'consultations' | 'closed' | 'documents' | 'receipts', boolean>> = {}): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no portal page ${page}`);
    const withPager = { pager: { pages: 0 }, ...data };
    return this.layout({ title, nav: { consultations: false, closed: false, documents: false, receipts: false, ...nav }, body: template(withPager) });
  }
}
