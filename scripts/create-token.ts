/**
 * Registers a member of staff and prints their bearer token (stored only as a hash).
 *   npm run token -- --name 张三 --email zhangsan@example.gov.cn --role drafter --department 市发展和改革委员会
 */
import { parseArgs } from 'node:util';
import { ROLE_LABELS, ROLES, type StaffRole } from '../machines/roles';
import { StaffDirectory } from '../src/auth';
import { openScriptDatabase } from './connect';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
    },
  });
  const role = values.role as StaffRole | undefined;
  if (!values.name || !values.email || !role || !ROLES.includes(role)) {
    process.stderr.write(
      '用法：npm run token -- --name 姓名 --email 邮箱 --role 角色 [--department 部门]\n角色：\n' +
        ROLES.map((r) => `  ${r}（${ROLE_LABELS[r]}）`).join('\n') +
        '\n',
    );
    process.exit(2);
  }
  const { repositories, connection } = await openScriptDatabase();
  try {
    const { token } = await new StaffDirectory(repositories.staff).register({
      name: values.name,
      email: values.email,
      role,
      department: values.department ?? null,
    });
    process.stdout.write(`已为 ${values.name}（${ROLE_LABELS[role]}）创建令牌，仅显示这一次：\n${token}\n`);
  } catch (error) {
    process.stderr.write(`创建失败：${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await connection.close();
  }
}

void main();
