import { DISCLOSURE_ATTRIBUTE_LABELS, FAIR_COMPETITION_CONCLUSION_LABELS, INTERPRETATION_FORM_LABELS } from '../dossier';
import type { FilingContext } from '../filing/types';

/**
 * The console form of an event, declared with the event: which fields it shows (prefilled from
 * the filing where it edits something) and how a submitted form becomes the event's command.
 * Pure data and functions, so the console renders it and the API's own validation then applies.
 */
export interface Field {
  id: string;
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'checkboxes' | 'checkbox' | 'datetime-local' | 'date' | 'url' | 'number';
  value?: string;
  rows?: number;
  required?: boolean;
  checked?: boolean;
  options?: Array<{ value: string; label: string; selected: boolean }>;
}

/** A url-encoded form as express parses it. */
export type FormValues = Record<string, string | string[] | undefined>;

/** What a form is prefilled from: the filing's context and its current text. */
export interface FormContext {
  context: FilingContext;
  body: string;
}

export interface FormSpec {
  fields(filing: FormContext): Field[];
  /** The command's payload (without type and version) from a submitted form. */
  read(form: FormValues): Record<string, unknown>;
}

/** One field and how its value is read back. */
export interface FormInput {
  field(filing: FormContext): Field;
  read(form: FormValues): [key: string, value: unknown] | null;
}

export const one = (form: FormValues, key: string): string => {
  const value = form[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
};
export const many = (form: FormValues, key: string): string[] => {
  const value = form[key];
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
};
export const orNull = (value: string): string | null => (value === '' ? null : value);
/** A datetime-local value is wall-clock time in China Standard Time. */
export const cstInstant = (value: string): string => (value === '' ? '' : `${value.length === 16 ? `${value}:00` : value}+08:00`);

/** Labels of the enumerated values forms offer. */
export const VALUE_LABELS: Record<string, string> = {
  ...INTERPRETATION_FORM_LABELS,
  ...DISCLOSURE_ATTRIBUTE_LABELS,
  rule: '规章',
  normative: '规范性文件',
  other: '其他',
  ...FAIR_COMPETITION_CONCLUSION_LABELS,
  cultureEducation: '文化教育',
  health: '医疗卫生',
  municipalPlanning: '城市规划',
  urbanConstruction: '城市建设',
  resourceDevelopment: '资源开发',
  environmentalProtection: '环境保护',
  socialSecurity: '社会保障',
  publicUtilities: '公用事业',
  npcDeputies: '人大代表',
  cppccMembers: '政协委员',
  publicRepresentatives: '公众代表',
  experts: '专家',
  media: '新闻媒体',
  stakeholders: '利益相关方',
};

type Prefill = (filing: FormContext) => string;
const empty: Prefill = () => '';

/** Field constructors: `f.text('title', '标题', …)` makes a Field. */
export const f = {
  text: (name: string, label: string, value = '', required = false): Field => ({ id: name, name, label, kind: 'text', value, required }),
  area: (name: string, label: string, value = '', required = false, rows = 3): Field => ({ id: name, name, label, kind: 'textarea', value, required, rows }),
  check: (name: string, label: string, checked: boolean): Field => ({ id: name, name, label, kind: 'checkbox', checked }),
  select: (name: string, label: string, values: readonly string[], current: string | null, blank?: string): Field => ({
    id: name,
    name,
    label,
    kind: 'select',
    options: [
      ...(blank !== undefined ? [{ value: '', label: blank, selected: current === null }] : []),
      ...values.map((v) => ({ value: v, label: VALUE_LABELS[v] ?? v, selected: v === current })),
    ],
  }),
  boxes: (name: string, label: string, values: readonly string[], labels: Record<string, string>, current: readonly string[]): Field => ({
    id: name,
    name,
    label,
    kind: 'checkboxes',
    options: values.map((v) => ({ value: v, label: labels[v] ?? v, selected: current.includes(v) })),
  }),
  typed: (kind: 'date' | 'datetime-local' | 'url', name: string, label: string, value = '', required = false): Field => ({ id: name, name, label, kind, value, required }),
};

/**
 * Inputs for the common case: a field whose form value is the command's value of the same name.
 * `required` fields send what was typed (the schema refuses an empty one with its own message);
 * optional ones send null when left empty.
 */
export const input = {
  text: (name: string, label: string, opts: { required?: boolean; prefill?: Prefill } = {}): FormInput => ({
    field: (filing) => f.text(name, label, (opts.prefill ?? empty)(filing), opts.required ?? false),
    read: (form) => [name, opts.required ? one(form, name) : orNull(one(form, name))],
  }),
  area: (name: string, label: string, opts: { required?: boolean; rows?: number } = {}): FormInput => ({
    field: () => f.area(name, label, '', opts.required ?? false, opts.rows ?? 3),
    read: (form) => [name, opts.required ? one(form, name) : orNull(one(form, name))],
  }),
  /** The usual note: 意见 or 意见（选填）. */
  note: (required: boolean, label = '意见'): FormInput => input.area('note', required ? label : `${label}（选填）`, { required }),
  url: (name: string, label: string): FormInput => ({
    field: () => f.typed('url', name, label),
    read: (form) => [name, orNull(one(form, name))],
  }),
  date: (name: string, label: string, opts: { required?: boolean; prefill?: Prefill } = {}): FormInput => ({
    field: (filing) => f.typed('date', name, label, (opts.prefill ?? empty)(filing), opts.required ?? false),
    read: (form) => [name, opts.required ? one(form, name) : orNull(one(form, name))],
  }),
  /** Entered as China Standard Time wall-clock time, sent as an instant with its offset. */
  instant: (name: string, label: string): FormInput => ({
    field: () => f.typed('datetime-local', name, label, '', true),
    read: (form) => [name, cstInstant(one(form, name))],
  }),
  select: (name: string, label: string, values: readonly string[]): FormInput => ({
    field: () => f.select(name, label, values, null),
    read: (form) => [name, one(form, name)],
  }),
};

/** A form made of inputs, in order. */
export function form(...inputs: FormInput[]): FormSpec {
  return {
    fields: (filing) => inputs.map((i) => i.field(filing)),
    read: (values) => Object.fromEntries(inputs.map((i) => i.read(values)).filter((kv): kv is [string, unknown] => kv !== null)),
  };
}

/** Events that carry nothing but their type and version. */
export const NO_FIELDS: FormSpec = form();
