/**
 * Registers a member of staff and prints their bearer token (stored only as a hash). The person
 * and the token are recorded on the security audit trail, with the server account that ran it.
 *   npm run token -- --name 张三 --email zhangsan@example.gov.cn --role drafter --department 市发展和改革委员会
 *   npm run token -- --name 王审计 --email wang@example.gov.cn --role securityAuditor
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ROLE_LABELS, ROLES, type StaffRole } from '../machines/roles';
import { AuditTrail } from '../src/audit/trail';
import { StaffDirectory } from '../src/auth';
import type { Repositories } from '../src/store';
import { openScriptDatabase } from './connect';

export interface TokenArgs {
  name?: string;
  email?: string;
  role?: string;
  department?: string;
}

/** Who ran a command on the server: no member of staff is signed in there. */
export function commandOrigin(command: string): Record<string, string> {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // No user database entry (some containers): the host still says where it ran.
  }
  return { command, osUser, host: os.hostname() };
}

function usage(args: TokenArgs): string | null {
  if (args.name && args.email && args.role && ROLES.includes(args.role as StaffRole)) return null;
  return '用法：npm run token -- --name 姓名 --email 邮箱 --role 角色 [--department 部门]\n角色：\n' + ROLES.map((r) => `  ${r}（${ROLE_LABELS[r]}）`).join('\n') + '\n';
}

/** The command itself, apart from the process, so tests run it: returns the exit code. */
export async function createTokenCommand(repositories: Pick<Repositories, 'staff' | 'securityAudit'>, args: TokenArgs, write: (text: string) => void, fail: (text: string) => void): Promise<number> {
  const wrong = usage(args);
  if (wrong || !args.name || !args.email) {
    fail(wrong ?? '');
    return 2;
  }
  const role = args.role as StaffRole;
  const audit = new AuditTrail(repositories.securityAudit);
  const origin = commandOrigin('npm run token');
  let registered;
  try {
    registered = await new StaffDirectory(repositories.staff).register({ name: args.name, email: args.email, role, department: args.department ?? null });
  } catch (error) {
    await audit.record({
      kind: 'personCreated',
      actor: null,
      target: { type: 'staff', id: '', label: args.name },
      detail: { ...origin, role, department: args.department ?? null, reason: (error as Error).message },
      at: new Date(),
      ip: null,
      outcome: 'failure',
    });
    fail(`创建失败：${(error as Error).message}\n`);
    return 1;
  }
  const { token, record } = registered;
  const target = { type: 'staff', id: String(record._id), label: record.name };
  const at = new Date();
  await audit.record({ kind: 'personCreated', actor: null, target, detail: { ...origin, role, department: record.department, email: record.email }, at, ip: null, outcome: 'success' });
  await audit.record({ kind: 'tokenIssued', actor: null, target, detail: { ...origin, role }, at, ip: null, outcome: 'success' });
  write(`已为 ${args.name}（${ROLE_LABELS[role]}）创建令牌，仅显示这一次：\n${token}\n`);
  return 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
    },
  });
  const wrong = usage(values);
  if (wrong) {
    process.stderr.write(wrong);
    process.exit(2);
  }
  const { repositories, connection } = await openScriptDatabase();
  try {
    process.exitCode = await createTokenCommand(repositories, values, (t) => process.stdout.write(t), (t) => process.stderr.write(t));
  } finally {
    await connection.close();
  }
}

if (require.main === module) void main();
