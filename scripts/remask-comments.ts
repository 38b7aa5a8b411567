/**
 * R16: masks every stored public comment again with the current rules (src/privacy/mask.ts),
 * keeping reviewers' redactions, and the samples of stored adoption reports with them. Run it
 * once after the masking rules change: comments stored before still show what the new rules
 * mask. Safe to run while the service runs, and again.
 *   npm run privacy:remask
 */
import { CommentDesk } from '../src/consultation/comments';
import { openScriptDatabase } from './connect';

async function main(): Promise<void> {
  const { repositories, connection } = await openScriptDatabase();
  try {
    const { scanned, updated, skipped } = await new CommentDesk(repositories.comments, repositories.filings, repositories.reports).remaskAll();
    process.stdout.write(`已检查 ${scanned} 条意见，按现行规则重新去标识化 ${updated} 条${skipped ? `，${skipped} 条因正在被修改而跳过，请再运行一次` : ''}。\n`);
  } finally {
    await connection.close();
  }
}

void main();
