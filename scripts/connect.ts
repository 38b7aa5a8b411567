import { loadConfig } from '../src/config';
import { openRepositories, type Repositories } from '../src/store';
import { connect, locateDatabase, type Connection } from '../src/store/connection';

/** Scripts reach the database of a running `npm start`, or MONGODB_URI. */
export async function openScriptDatabase(): Promise<{ repositories: Repositories; connection: Connection }> {
  const config = loadConfig();
  const uri = locateDatabase(config.mongodbUri, config.dataDir);
  if (!uri) {
    process.stderr.write('未找到数据库：请先在另一个终端运行 `npm start`，或设置 MONGODB_URI。\n');
    process.exit(1);
  }
  const connection = await connect(uri, config.databaseName);
  return { repositories: await openRepositories(connection), connection };
}
