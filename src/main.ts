import { createServer } from 'node:http';
import { StaffDirectory } from './auth';
import { loadConfig } from './config';
import { createApp } from './http/app';
import { createLogger } from './log';
import { connect, removeEmbeddedAddress, writeEmbeddedAddress } from './store/connection';
import { startDatabaseServer } from './store/database-server';
import { FilingStore } from './store/filings';
import { createModels, ensureIndexes } from './store/models';
import { FilingService } from './workflow/filings';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  const database = await startDatabaseServer({
    purpose: 'service',
    dataDir: config.dataDir,
    log: (message) => logger.info(message),
  });
  if (database.backend === 'offline-bridge') {
    // Plain text on stderr, not only a log line: whoever starts the service must not miss it.
    const banner = '!'.repeat(78);
    process.stderr.write(
      `${banner}\n` +
        '  WARNING: no MongoDB available; running on the OFFLINE TEST SERVER (mongomock).\n' +
        '  NOTHING SURVIVES A RESTART. Set MONGODB_URI to a real MongoDB (production: a replica set).\n' +
        '  警告：未找到 MongoDB，当前使用离线测试数据库，服务重启后所有数据都会丢失。\n' +
        `${banner}\n`,
    );
    logger.warn('running on the offline test database: nothing survives a restart');
  }
  const connection = await connect(database.uri, config.databaseName);
  const models = createModels(connection);
  await ensureIndexes(models);
  const store = new FilingStore(models);
  const app = createApp({
    filings: new FilingService(store),
    store,
    staff: new StaffDirectory(models),
    logger,
    bodyLimit: config.bodyLimit,
    describeDatabase: () => database.backend,
  });

  const server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // Port taken or not permitted: leave nothing running behind us.
    await connection.close();
    await database.stop();
    throw error;
  }
  // Only a service that is really up tells the scripts where its database is.
  if (database.backend !== 'external') {
    writeEmbeddedAddress(config.dataDir, { uri: database.uri, backend: database.backend, pid: process.pid });
  }
  logger.info(`Predisclosure listening on http://${config.host}:${config.port} (database: ${database.description})`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connection.close();
    await database.stop();
    if (database.backend !== 'external') removeEmbeddedAddress(config.dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error('Predisclosure 启动失败 (failed to start):', error);
  process.exit(1);
});
