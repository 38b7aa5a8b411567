import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { COMMAND_SCHEMAS, EVENT_LABELS, EVENT_PERMISSIONS, eventSpec, FILING_EVENT_TYPES, type FilingEventType, type Scope } from '../../machines/events';
import { ROLE_LABELS } from '../../machines/roles';
import { PROJECT_ROOT } from '../config';
import { disposalSchema, newFilingSchema } from '../web/schemas';

/**
 * Renders docs/events.md — every request body the API takes for a filing, field by field — from
 * the zod schemas that validate them (the events' from the event registry, machines/events/;
 * the routes' own from src/web/schemas.ts), through their JSON Schema, so the table cannot drift
 * from what the server accepts: a test regenerates it and compares. Meanings come from `.describe()`.
 */
export const EVENTS_DOC = path.join(PROJECT_ROOT, 'docs', 'events.md');
const TEMPLATE = path.join(PROJECT_ROOT, 'templates', 'docs', 'events.md.hbs');

/** The parts of JSON Schema that zod's `toJSONSchema` produces for these schemas. */
interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  default?: unknown;
}

export interface FieldRow {
  /** Dotted path from the body, `[]` for the elements of a list: `reasons[].code`. */
  field: string;
  type: string;
  required: string;
  limits: string;
  meaning: string;
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  // `input`: what a client sends (defaults make a field optional); shared parts inlined so each
  // table stands alone.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
}

interface Normalised {
  core: JsonSchema;
  nullable: boolean;
  description: string | undefined;
}

/** Splits "X or null" into X and a flag, keeping the description wherever zod put it. */
function normalise(schema: JsonSchema): Normalised {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const nonNull = branches.filter((b) => b.type !== 'null');
    const nullable = nonNull.length < branches.length;
    const core = nonNull.length === 1 ? nonNull[0] : { anyOf: nonNull };
    return { core, nullable, description: schema.description ?? core.description };
  }
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const rest = schema.type.filter((t) => t !== 'null');
    return { core: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true, description: schema.description };
  }
  return { core: schema, nullable: false, description: schema.description };
}

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function isObject(schema: JsonSchema): boolean {
  return schema.type === 'object' || schema.properties !== undefined;
}

function typeText(schema: JsonSchema): string {
  const { core, nullable } = normalise(schema);
  let text: string;
  if (core.const !== undefined) text = code(core.const);
  else if (core.anyOf) text = core.anyOf.map(typeText).join(' or ');
  else if (core.type === 'string' && core.format === 'date') text = 'date `YYYY-MM-DD`';
  else if (core.type === 'string' && core.format === 'date-time') text = 'date-time (ISO 8601 with offset)';
  else if (core.type === 'string' && core.format === 'uri') text = 'URL';
  else if (core.type === 'string' && core.format === 'email') text = 'e-mail address';
  else if (core.type === 'array') text = core.items ? `list of ${typeText(core.items)}` : 'list';
  else if (isObject(core) && core.propertyNames) text = 'object (by key)';
  else if (Array.isArray(core.type)) text = core.type.join(' or ');
  else text = core.type ?? 'any';
  return nullable ? `${text} or null` : text;
}

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  const plural = (n: number) => (n === 1 || unit === '' ? unit : `${unit}s`);
  const suffix = (n: number) => (unit ? ` ${plural(n)}` : '');
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${suffix(max)}` : `${min}–${max}${suffix(max)}`;
  if (min !== undefined) return `at least ${min}${suffix(min)}`;
  if (max !== undefined) return `at most ${max}${suffix(max)}`;
  return null;
}

function limitsOf(schema: JsonSchema): string[] {
  const { core } = normalise(schema);
  const limits: string[] = [];
  if (core.anyOf) return core.anyOf.flatMap(limitsOf);
  if (core.enum) limits.push(`one of ${core.enum.map(code).join(', ')}`);
  if (core.type === 'string') {
    const length = range(core.minLength, core.maxLength, 'character');
    if (length) limits.push(length);
    // Formats carry their own (long) patterns; only a bare pattern says something new.
    if (core.pattern && !core.format) limits.push(`matching ${code(core.pattern)}`);
  }
  if (core.type === 'integer' || core.type === 'number') {
    const min = core.minimum ?? core.exclusiveMinimum;
    const max = core.maximum ?? core.exclusiveMaximum;
    const bounded = (n: number | undefined) => (n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
    const numbers = range(bounded(min), bounded(max), '');
    if (numbers) limits.push(numbers.replace(/^at least /, '≥ ').replace(/^at most /, '≤ '));
  }
  if (core.type === 'array') {
    const count = range(core.minItems, core.maxItems, 'item');
    if (count) limits.push(count);
    if (core.items && !isObject(normalise(core.items).core)) {
      const each = limitsOf(core.items);
      if (each.length > 0) limits.push(`each ${each.join(', ')}`);
    }
  }
  if (isObject(core) && core.propertyNames) {
    const keys = limitsOf(core.propertyNames);
    if (keys.length > 0) limits.push(`keys ${keys.join(', ')}`);
    if (typeof core.additionalProperties === 'object') {
      const values = [typeText(core.additionalProperties), ...limitsOf(core.additionalProperties)];
      limits.push(`values: ${values.join(', ')}`);
    }
  }
  return limits;
}

function requiredText(schema: JsonSchema, required: boolean): string {
  if (required) return 'yes';
  return schema.default !== undefined ? `no (default ${code(schema.default)})` : 'no';
}

/** One row per field, nested objects and lists of objects flattened below their parent. */
export function fieldRows(schema: JsonSchema, prefix = '', skip: readonly string[] = []): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (skip.includes(name)) continue;
    const field = `${prefix}${name}`;
    const { core, description } = normalise(property);
    rows.push({
      field,
      type: typeText(property),
      required: requiredText(property, required.has(name)),
      limits: limitsOf(property).join('; '),
      meaning: description ?? '',
    });
    if (isObject(core) && core.properties) rows.push(...fieldRows(core, `${field}.`));
    const items = core.type === 'array' && core.items ? normalise(core.items).core : null;
    if (items && isObject(items) && items.properties) rows.push(...fieldRows(items, `${field}[].`));
  }
  return rows;
}

const SCOPE_TEXT: Record<Scope, string> = {
  member: 'of the lead or a co-department',
  lead: 'of the lead department',
  office: 'on any filing',
};

function sentBy(type: FilingEventType): string {
  const { roles, scope } = EVENT_PERMISSIONS[type];
  const who = roles.map((role) => (role === 'system' ? 'the product itself (its scheduler)' : `${role} (${ROLE_LABELS[role]})`));
  return roles.includes('system') ? who.join(', ') : `${who.join(', ')}, ${SCOPE_TEXT[scope]}`;
}

/** Markdown table cells: no line breaks, no unescaped pipes. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function table(rows: FieldRow[]) {
  return rows.map((row) => ({
    field: cell(`\`${row.field}\``),
    type: cell(row.type),
    required: cell(row.required),
    limits: cell(row.limits),
    meaning: cell(row.meaning),
  }));
}

/** The events' schemas by type, from the event registry (machines/events/). */
export function eventSchemas(): Map<FilingEventType, JsonSchema> {
  return new Map(FILING_EVENT_TYPES.map((type) => [type, jsonSchemaOf(COMMAND_SCHEMAS[type])]));
}

/** Every field of every request body documented here, for tests that want each to have a meaning. */
export function documentedFields(): Array<{ body: string; row: FieldRow }> {
  const events = [...eventSchemas()].flatMap(([type, schema]) => fieldRows(schema, '', ['type']).map((row) => ({ body: type, row })));
  return [
    ...fieldRows(jsonSchemaOf(newFilingSchema)).map((row) => ({ body: 'POST /filings', row })),
    ...events,
    ...fieldRows(jsonSchemaOf(disposalSchema)).map((row) => ({ body: 'dispositions', row })),
  ];
}

export function renderEventsDoc(): string {
  const template = Handlebars.compile(fs.readFileSync(TEMPLATE, 'utf8'), { noEscape: true });
  const schemas = eventSchemas();
  return template({
    newFiling: table(fieldRows(jsonSchemaOf(newFilingSchema))),
    events: FILING_EVENT_TYPES.map((type) => {
      const rows = fieldRows(schemas.get(type) as JsonSchema, '', ['type']);
      return {
        type,
        label: EVENT_LABELS[type],
        description: eventSpec(type).description,
        rules: eventSpec(type).rules.join(', '),
        sentBy: sentBy(type),
        // Every event has `version`; one without anything else needs no table.
        rows: rows.length > 1 ? table(rows) : null,
      };
    }),
    disposal: table(fieldRows(jsonSchemaOf(disposalSchema))),
  });
}
