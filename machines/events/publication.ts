import { z } from 'zod';
import { INTERPRETATION_FORMS } from '../dossier';
import { ask, chartTakes, concerned, defineEvent, everyDepartment } from './define';
import { f, form, input, one, orNull, type FormValues } from './form';
import { day, LIMITS, note, otherDocument, text, webUrl } from './schema';

/** Signing, publication with the interpretation (R6), and what follows: R7 follow-ups, R17 validity. */

const documentFrom = (values: FormValues) => ({
  title: one(values, 'document_title'),
  documentNumber: orNull(one(values, 'document_number')),
  url: orNull(one(values, 'document_url')),
});

export const PUBLICATION = {
  SIGN: defineEvent('SIGN', {
    label: '签发',
    description: 'The signer signs the adopted document; the R6 publication clock starts.',
    rules: ['R6'],
    who: { roles: ['signer'], scope: 'office' },
    shape: { documentNumber: text(100).describe('The document number (发文字号) it is issued under, e.g. 某政发〔2026〕12号.') },
  notify: {
      awaitingPublication: [ask('publication-due', 'publisher'), concerned(everyDepartment)],
      // R1: not proactively public, so issued and not published: the departments that drafted it
      // learn so; nobody is asked to publish.
      issued: [{ template: 'document-issued', to: everyDepartment }],
    },
    form: form(input.text('documentNumber', '文号', { required: true })),
  }),

  PUBLISH: defineEvent('PUBLISH', {
    label: '公开发布（含解读）',
    description: 'Publishes the document together with its interpretation as it stands (R6), with its validity mark (R17).',
    rules: ['R6', 'R17'],
    who: { roles: ['publisher'], scope: 'office' },
    shape: {
      url: webUrl.nullable().optional().describe('Where the document is also published, e.g. on the government website.'),
      effectiveFrom: day.nullable().optional().describe('The day it takes effect (施行日期); default: the day of publication (R17).'),
      expiresOn: day.nullable().optional().describe('The last day it is in force, for a document with a term (R17).'),
    },
    notify: { published: [concerned(everyDepartment)] },
    form: form(
      input.url('url', '发布网址（选填）'),
      input.date('effectiveFrom', '施行日期（选填，默认为发布当日，R17）'),
      input.date('expiresOn', '有效期至（选填）'),
    ),
  }),

  WITHDRAW: defineEvent('WITHDRAW', {
    label: '撤回',
    description: 'The drafting department withdraws the filing; possible at any point before signing.',
    who: { roles: ['drafter', 'departmentHead'], scope: 'lead' },
    shape: { note: note.describe('Why the filing is withdrawn.') },
    notify: { withdrawn: [concerned(everyDepartment)] },
    task: false,
    form: form(input.note(true, '撤回理由')),
  }),

  ADD_FOLLOW_UP: defineEvent('ADD_FOLLOW_UP', {
    label: '发布后续解读',
    description: 'A further interpretation of a document in force, in answer to public concern (分段、多次、持续解读).',
    rules: ['R7', 'R5'],
    // R7/R3: who drafted it interprets it, also after publication.
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {
      form: z.enum(INTERPRETATION_FORMS).describe('Its form (R5).'),
      title: text(LIMITS.title).describe('Its title.'),
      body: text(LIMITS.material).nullable().default(null).describe('Its text; `body` or `url` is required.'),
      url: webUrl.nullable().default(null).describe('Where it is published; `body` or `url` is required.'),
      concern: note.nullable().default(null).describe('The public concern it answers.'),
    },
    refine: (schema) => schema.refine((v) => v.body !== null || v.url !== null, { message: '须填写解读内容或链接', path: ['body'] }),
    notify: { published: [concerned(everyDepartment)] },
    task: false,
    form: {
      fields: () => [
        f.select('form', '解读形式（R5）', INTERPRETATION_FORMS, null),
        f.text('title', '标题', '', true),
        f.area('body', '解读内容（与链接至少填一项）', '', false, 6),
        f.typed('url', 'url', '链接（选填）'),
        f.text('concern', '回应的社会关切（选填）'),
      ],
      read: (values) => ({
        form: one(values, 'form'),
        title: one(values, 'title'),
        body: orNull(one(values, 'body')),
        url: orNull(one(values, 'url')),
        concern: orNull(one(values, 'concern')),
      }),
    },
  }),

  AMEND: defineEvent('AMEND', {
    label: '标注已修改',
    description: 'Marks the document amended by another, from the day that takes effect.',
    rules: ['R17'],
    // R17/R15: the validity mark is part of what is published; who publishes, answers for it.
    who: { roles: ['publisher'], scope: 'office' },
    shape: { document: otherDocument.describe('The amending document.'), effectiveOn: day.describe('The day the amendment takes effect.') },
    notify: { published: [concerned(everyDepartment)] },
    task: false,
    form: {
      fields: () => [
        f.text('document_title', '修改文件标题', '', true),
        f.text('document_number', '修改文件文号（选填）'),
        f.typed('url', 'document_url', '修改文件链接（选填）'),
        f.typed('date', 'effectiveOn', '修改施行日期', '', true),
      ],
      read: (values) => ({ document: documentFrom(values), effectiveOn: one(values, 'effectiveOn') }),
    },
  }),

  REPEAL: defineEvent('REPEAL', {
    label: '标注废止',
    description: 'Marks the document repealed from a day; after that day nothing more is accepted for it.',
    rules: ['R17'],
    who: { roles: ['publisher'], scope: 'office' },
    shape: {
      effectiveOn: day.describe('The day the repeal takes effect.'),
      document: otherDocument.nullable().default(null).describe('The repealing document, if there is one.'),
      note: note.describe('Why the document is repealed.'),
    },
    notify: { published: [concerned(everyDepartment)] },
    task: false,
    form: {
      fields: () => [
        f.typed('date', 'effectiveOn', '废止日期', '', true),
        f.area('note', '废止说明', '', true),
        f.text('document_title', '废止依据文件标题（选填）'),
        f.text('document_number', '废止依据文号（选填）'),
        f.typed('url', 'document_url', '废止依据链接（选填）'),
      ],
      read: (values) => ({
        effectiveOn: one(values, 'effectiveOn'),
        note: one(values, 'note'),
        document: one(values, 'document_title') ? documentFrom(values) : null,
      }),
    },
  }),

  SET_EXPIRY: defineEvent('SET_EXPIRY', {
    label: '设定有效期',
    description: 'Sets or clears the last day the document is in force.',
    rules: ['R17'],
    who: { roles: ['publisher'], scope: 'office' },
    shape: { expiresOn: day.nullable().describe('The last day the document is in force; null: no term.') },
    notify: { published: [concerned(everyDepartment)] },
    task: false,
    form: form(
      input.date('expiresOn', '有效期至（留空表示长期有效）', { prefill: ({ context }) => context.validity?.expiresOn ?? '' }),
    ),
  }),

  VALIDITY_CHANGED: defineEvent('VALIDITY_CHANGED', {
    label: '效力状态变更',
    description: 'Sent by the product itself on the day a dated validity mark takes effect (system actor).',
    rules: ['R17'],
    // R17: a dated change takes effect on its day, by the scheduler.
    who: { roles: ['system'], scope: 'office' },
    shape: {},
    // The server words what changed, for the ledger and the e-mail.
    chart: chartTakes<{ note?: string | null }>(),
    notify: { published: [concerned(everyDepartment)] },
    task: false,
  }),
};
