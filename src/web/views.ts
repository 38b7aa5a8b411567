import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

/**
 * Server-rendered pages (the public site, the staff console): Handlebars with escaping on (every user text is escaped) and strict
 * mode (a page naming a missing field fails instead of printing nothing).
 */
export class PageViews {
  private readonly pages = new Map<string, HandlebarsTemplateDelegate>();
  private readonly layout: HandlebarsTemplateDelegate;

  /** `dir`: the front end's templates (a layout, pages, partials/); `navKeys`: its navigation's entries. */
  constructor(
    dir: string,
    private readonly navKeys: readonly string[],
  ) {
    const hb = Handlebars.create();
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const file of fs.readdirSync(path.join(dir, 'partials'))) {
      hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(dir, 'partials', file), 'utf8'));
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs') && f !== 'layout.hbs')) {
      this.pages.set(path.basename(file, '.hbs'), hb.compile(fs.readFileSync(path.join(dir, file), 'utf8'), { strict: true }));
    }
    this.layout = hb.compile(fs.readFileSync(path.join(dir, 'layout.hbs'), 'utf8'), { strict: true });
  }

  /** `layout` adds fields the layout needs beyond the title and the navigation (e.g. who is signed in). */
  render(page: string, title: string, data: Record<string, unknown>, nav: Record<string, boolean> = {}, layout: Record<string, unknown> = {}): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no page ${page}`);
    const withPager = { pager: { pages: 0 }, ...data };
    const navigation = Object.fromEntries(this.navKeys.map((key) => [key, nav[key] ?? false]));
    return this.layout({ ...layout, title, nav: navigation, body: template(withPager) });
  }
}
