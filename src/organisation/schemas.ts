import { z } from 'zod';
import { DEPARTMENT_KINDS } from '../store/records';

/** The administration's request schemas (the API's; the console's forms map onto them). */

const name = z.string().trim().min(1).max(100);
const id = z.string().regex(/^[0-9a-f]{24}$/i, '应为24位十六进制编号');

export const jurisdictionBodySchema = z.strictObject({
  name: name.describe('The jurisdiction\'s name, e.g. 某某市 or 某某区; unique.'),
  divisionCode: z.string().regex(/^\d{6}$/, '行政区划代码应为6位数字').describe('Its administrative division code (行政区划代码), six digits; unique.'),
  parent: id.nullable().default(null).describe('The city a district belongs to (its id); null for the city itself.'),
});

export const jurisdictionChangeSchema = z.strictObject({
  name: jurisdictionBodySchema.shape.name.optional(),
  divisionCode: jurisdictionBodySchema.shape.divisionCode.optional(),
});

const code = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((v) => v.toUpperCase())
  .describe('The unified social credit code (统一社会信用代码), 18 characters; its check character is verified per GB 32100-2015 (422 `DEPARTMENT_CODE_INVALID`).');

export const departmentBodySchema = z.strictObject({
  name: name.describe('The full name, e.g. 市发展和改革委员会; unique within its jurisdiction.'),
  shortName: name.max(30).optional().describe('The short name, e.g. 市发展改革委; the full name when left out.'),
  code,
  kind: z.enum(DEPARTMENT_KINDS).describe('`government` 人民政府, `generalOffice` 政府办公厅（室）, `department` 政府工作部门, `agency` 直属机构及其他单位, `district` 区县人民政府.'),
  jurisdiction: id.describe('The jurisdiction it belongs to (its id).'),
  parent: id.nullable().default(null).describe('Its parent department in the same jurisdiction (its id), or null.'),
});

export const departmentChangeSchema = z.strictObject({
  name: departmentBodySchema.shape.name.optional(),
  shortName: name.max(30).optional().describe('The short name.'),
  code: code.optional(),
  kind: departmentBodySchema.shape.kind.optional(),
  parent: id.nullable().optional().describe('Its parent department (its id), or null for none.'),
});

const activeFilter = z.enum(['true', 'false']).transform((v) => v === 'true');

export const departmentQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional().describe('Part of the name, short name or code.'),
  jurisdiction: id.optional().describe('Only departments of this jurisdiction (its id).'),
  kind: z.enum(DEPARTMENT_KINDS).optional().describe('Only departments of this kind.'),
  active: activeFilter.optional().describe('`true`: active only; `false`: deactivated only.'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('The page, from 1.'),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page.'),
});

export type JurisdictionBody = z.output<typeof jurisdictionBodySchema>;
export type JurisdictionChange = z.output<typeof jurisdictionChangeSchema>;
export type DepartmentBody = z.output<typeof departmentBodySchema>;
export type DepartmentChange = z.output<typeof departmentChangeSchema>;
export type DepartmentQuery = z.output<typeof departmentQuerySchema>;
