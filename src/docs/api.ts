import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ROLE_LABELS, type Role } from '../../machines/roles';
import { PROJECT_ROOT } from '../config';
import { API_ROUTES, apiDocument, openApiPath } from '../http/openapi';

/**
 * docs/api.md: the API contract as a newcomer reads it, rendered from the OpenAPI document the
 * service serves at /openapi.json (src/http/openapi.ts) — every route with its parameters and
 * body, every event with its fields, every error code with its status — so the page and the
 * document cannot disagree. `npm run docs` writes it; a test fails when it drifts.
 */
export const API_DOC = path.join(PROJECT_ROOT, 'docs', 'api.md');
const TEMPLATE = path.join(PROJECT_ROOT, 'templates', 'docs', 'api.md.hbs');

/** A JSON Schema as the generator writes it (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
interface Schema {
  $ref?: string;
  title?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  default?: unknown;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  [extension: `x-${string}`]: unknown;
}

interface Row {
  field: string;
  type: string;
  required: string;
  limits: string;
  meaning: string;
}

type Document = { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Text for a table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

class SchemaTables {
  constructor(private readonly schemas: Record<string, Schema>) {}

  resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return { ...this.resolve(this.schemas[name]), ...(schema.description ? { description: schema.description } : {}) };
  }

  /** The schema without a `null` alternative, and whether it had one. */
  private nonNull(schema: Schema): { schema: Schema; nullable: boolean } {
    const resolved = this.resolve(schema);
    const alternatives = resolved.anyOf ?? resolved.oneOf;
    if (alternatives) {
      const rest = alternatives.filter((s) => s.type !== 'null');
      if (rest.length === 1 && rest.length < alternatives.length) {
        const inner = this.nonNull(rest[0]);
        return { schema: { ...inner.schema, description: resolved.description ?? inner.schema.description, ...('default' in resolved ? { default: resolved.default } : 'default' in inner.schema ? { default: inner.schema.default } : {}) }, nullable: true };
      }
    }
    if (Array.isArray(resolved.type) && resolved.type.includes('null')) {
      const type = resolved.type.filter((t) => t !== 'null');
      return { schema: { ...resolved, type: type.length === 1 ? type[0] : type }, nullable: true };
    }
    return { schema: resolved, nullable: false };
  }

  typeOf(schema: Schema): string {
    const { schema: s, nullable } = this.nonNull(schema);
    let type: string;
    if (s.const !== undefined) type = 'constant';
    else if (s.type === 'array') type = `list of ${s.items ? this.typeOf(s.items) : 'any'}`;
    else if (s.format === 'date') type = 'date `YYYY-MM-DD`';
    else if (s.format === 'date-time') type = 'date-time (ISO 8601)';
    else if (s.format) type = `${String(s.type ?? 'string')} (${s.format})`;
    else if (s.anyOf || s.oneOf) type = (s.anyOf ?? s.oneOf ?? []).map((alt) => this.typeOf(alt)).join(' or ');
    else if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') type = `map to ${this.typeOf(s.additionalProperties)}`;
    else type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
    return nullable ? `${type} or null` : type;
  }

  limitsOf(schema: Schema): string {
    const { schema: s } = this.nonNull(schema);
    const limits: string[] = [];
    if (s.const !== undefined) limits.push(code(s.const));
    if (s.enum) limits.push(`one of ${s.enum.map(code).join(', ')}`);
    if (s.items?.enum) limits.push(`each one of ${s.items.enum.map(code).join(', ')}`);
    if (s.propertyNames?.enum) limits.push(`keys one of ${s.propertyNames.enum.map(code).join(', ')}`);
    if (s.minLength !== undefined || s.maxLength !== undefined) limits.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} characters`);
    if (s.minItems !== undefined || s.maxItems !== undefined) limits.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
    const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
    if (s.minimum !== undefined && max !== undefined) limits.push(`${s.minimum}–${max}`);
    else if (s.minimum !== undefined) limits.push(`≥ ${s.minimum}`);
    else if (max !== undefined) limits.push(`≤ ${max}`);
    if (s.pattern && !s.format) limits.push(`matches ${code(s.pattern)}`);
    return limits.join('; ');
  }

  /** One row per field, nested fields as `a.b` and list items as `a[].b`. */
  rows(schema: Schema, prefix = ''): Row[] {
    const s = this.nonNull(schema).schema;
    const required = new Set(s.required ?? []);
    return Object.entries(s.properties ?? {}).flatMap(([name, property]) => {
      const field = `${prefix}${name}`;
      const inner = this.nonNull(property).schema;
      const resolved = this.resolve(property);
      const fallback = 'default' in resolved ? resolved.default : inner.default;
      const hasDefault = 'default' in resolved || 'default' in inner;
      const row: Row = {
        field,
        type: cell(this.typeOf(property)),
        required: required.has(name) && !hasDefault ? 'yes' : hasDefault ? `no (default ${code(fallback)})` : 'no',
        limits: cell(this.limitsOf(property)),
        meaning: cell(resolved.description ?? inner.description ?? ''),
      };
      const nested = inner.type === 'array' && inner.items ? this.rows(inner.items, `${field}[].`) : inner.properties ? this.rows(inner, `${field}.`) : [];
      return [row, ...nested];
    });
  }
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: Schema;
}

interface Operation {
  summary: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

/** What the template renders, from the served document. */
export function apiDocView() {
  const document = apiDocument() as unknown as Document;
  const schemas = document.components.schemas;
  const tables = new SchemaTables(schemas);
  const routes = API_ROUTES.map((route) => {
    const key = openApiPath(route.path);
    const op = document.paths[key][route.method];
    const body = op.requestBody?.content['application/json']?.schema;
    const events = body?.oneOf?.every((s) => s.$ref?.startsWith('#/components/schemas/Event.')) ? body.oneOf.map((s) => (s.$ref as string).split('Event.')[1]) : null;
    const [status, answer] = Object.entries(op.responses).find(([s]) => s !== 'default') as [string, { description?: string; content?: Record<string, unknown> }];
    return {
      route: `${route.method.toUpperCase()} ${key}`,
      summary: op.summary,
      description: op.description ?? null,
      token: op.security ? 'no' : 'bearer',
      parameters: (op.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        type: cell(tables.typeOf(p.schema)),
        required: p.required ? 'yes' : p.schema.default !== undefined ? `no (default ${code(p.schema.default)})` : 'no',
        limits: cell(tables.limitsOf(p.schema)),
        meaning: cell(p.description ?? p.schema.description ?? ''),
      })),
      events,
      body: body && !events ? tables.rows(body) : null,
      answer: `${status} ${Object.keys(answer.content ?? {}).join(', ')}: ${answer.description ?? ''}`,
    };
  });
  const events = Object.entries(schemas)
    .filter(([name]) => name.startsWith('Event.'))
    .map(([, schema]) => ({
      type: String(schema.title),
      label: String(schema['x-label']),
      description: schema.description ?? '',
      roles: (schema['x-roles'] as Role[]).map((role) => `${role} (${ROLE_LABELS[role]})`).join(', '),
      scope: String(schema['x-scope']),
      rules: (schema['x-rules'] as string[]).join(', '),
      fields: tables.rows(schema),
    }));
  const errors = (schemas.ErrorCode.oneOf ?? []).map((entry) => ({
    code: String(entry.const),
    status: entry['x-status'] as number,
    message: cell(String(entry.description).replace(/^\d+ — /, '')),
    rule: (entry['x-rule'] as string | undefined) ?? '',
  }));
  return { title: document.info.title, version: document.openapi, routes, events, errors };
}

export function renderApiDoc(): string {
  const hb = Handlebars.create();
  return hb.compile(fs.readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true })(apiDocView());
}
