import type { Connection } from 'mongoose';
import { loadConfig } from '../src/config';
import { connect, locateDatabase } from '../src/store/connection';
import { createModels, ensureIndexes, type Models } from '../src/store/models';

/** Scripts reach the database of a running `npm start`, or MONGODB_URI. */
export async function openScriptDatabase(): Promise<{ models: Models; connection: Connection }> {
  const config = loadConfig();
  const uri = locateDatabase(config.mongodbUri, config.dataDir);
  if (!uri) {
    process.stderr.write('未找到数据库：请先在另一个终端运行 `npm start`，或设置 MONGODB_URI。\n');
    process.exit(1);
  }
  const connection = await connect(uri, config.databaseName);
  const models = createModels(connection);
  await ensureIndexes(models);
  return { models, connection };
}
