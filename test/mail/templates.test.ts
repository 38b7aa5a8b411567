/** Every template renders in strict mode with the data the composer builds; HTML is escaped. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAIL_TEMPLATES } from '../../machines/notifications';
import { MAIL_TEMPLATE_DIR, MailTemplates, type MailData } from '../../src/mail/templates';

function sample(overrides: Partial<MailData> = {}): MailData {
  return {
    messageRef: '2026-0042-7',
    product: { name: '政策解读与重大决策预公开系统' },
    recipient: { name: '郑丽', roleLabel: '政府办公室收文' },
    filing: {
      reference: '2026-0042',
      title: '关于<进一步>优化营商环境的若干措施 & 解读',
      leadDepartment: '市发展和改革委员会',
      stageLabel: '待公开发布',
      link: 'https://predisclosure.test/filings/abc',
    },
    action: { label: '签发', at: '2026年11月20日 10:00', actorName: '高振华', actorRole: '签发人', actorDepartment: null },
    reasons: [{ code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', label: '解读方案和解读材料未经起草部门主要负责人审定', field: 'interpretation.approval' }],
    note: '请于三个工作日内发布',
    deadline: { date: '2026年11月25日', workingDaysLeft: 3, dueToday: false, overdue: false, overdueDays: 0 },
    noTimeLimit: false,
    intake: false,
    approved: true,
    fairCompetitionReviewed: true,
    documentNumber: '某政发〔2026〕12号',
    disclosure: { label: '依申请公开', reason: '涉及第三方商业秘密' },
    fairCompetition: null,
    ...overrides,
  };
}

const templates = new MailTemplates();

describe.each(MAIL_TEMPLATES.map((t) => [t]))('%s', (name) => {
  test('renders subject, HTML and text in Chinese with the filing, the act and a link', () => {
    const mail = templates.render(name, sample());
    expect(mail.subject).toContain('2026-0042');
    expect(mail.subject).toMatch(/[\u4e00-\u9fff]/);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('郑丽');
      expect(part).toContain('2026-0042');
      expect(part).toContain('高振华');
      expect(part).toContain('https://predisclosure.test/filings/abc');
      expect(part).toContain('2026年11月25日');
    }
    // Escaping is on in HTML; plain text shows the title as written.
    expect(mail.html).toContain('关于&lt;进一步&gt;优化营商环境的若干措施 &amp; 解读');
    expect(mail.html).not.toContain('<进一步>');
    expect(mail.text).toContain('关于<进一步>优化营商环境的若干措施 & 解读');
  });

  test('renders with every optional value absent', () => {
    const mail = templates.render(
      name,
      sample({ note: null, deadline: null, reasons: [], documentNumber: null, action: { ...sample().action, actorDepartment: null } }),
    );
    expect(mail.html).not.toContain('办理时限');
    expect(mail.text).not.toContain('null');
    expect(mail.html).not.toContain('null');
  });
});

test('a return lists its reasons with their rule ids', () => {
  const mail = templates.render('filing-returned', sample({ intake: true }));
  expect(mail.text).toContain('1. 解读方案和解读材料未经起草部门主要负责人审定（R2 · R2_INTERPRETATION_NOT_APPROVED · interpretation.approval）');
  expect(mail.html).toContain('R2 · R2_INTERPRETATION_NOT_APPROVED');
  expect(mail.text).toContain('已自动退文');
});

test('deadlines read as a date and as working days left, today or overdue', () => {
  const due = (d: MailData['deadline']) => templates.render('publication-due', sample({ deadline: d })).text;
  expect(due(sample().deadline)).toContain('2026年11月25日前（还剩 3 个工作日）');
  expect(due({ date: '2026年11月25日', workingDaysLeft: 0, dueToday: true, overdue: false, overdueDays: 0 })).toContain('（今天到期）');
  expect(due({ date: '2026年11月25日', workingDaysLeft: 0, dueToday: false, overdue: true, overdueDays: 2 })).toContain('（已逾期 2 个工作日）');
});

test('a template that references a field the data lacks fails to render', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-templates-'));
  fs.cpSync(MAIL_TEMPLATE_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'status-update.text.hbs'), '{{filing.nonexistentField}}');
  const broken = new MailTemplates(dir);
  expect(() => broken.render('status-update', sample())).toThrow(/nonexistentField/);
  fs.rmSync(dir, { recursive: true, force: true });
});
