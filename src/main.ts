import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { loadCalendarOverrides } from './calendar';
import { loadConfig } from './config';
import { createApp } from './http/app';
import { createLogger } from './log';
import { connect, removeEmbeddedAddress, writeEmbeddedAddress } from './store/connection';
import { startDatabaseServer } from './store/database-server';
import { MailDispatcher, exponentialBackoff } from './mail/dispatcher';
import { CommentNoticeSource, FilingOutboxSource } from './mail/sources';
import { FolderSink, SmtpSink } from './mail/transport';
import { ConsultationCloser } from './schedule/consultations';
import { DeadlineNotices } from './schedule/deadlines';
import { ValidityRecorder } from './schedule/validity';
import { PeriodicTask } from './schedule/periodic';
import { buildServices, mailSettings } from './services';
import { openRepositories } from './store';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.calendarFile) {
    const loaded = loadCalendarOverrides(config.calendarFile);
    logger.info(`calendar: ${loaded.holidays} holidays and ${loaded.workdays} adjusted working days from ${config.calendarFile}`);
  }

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
  const connection = await connect(database.uri, config.databaseName, { selectionTimeoutMs: config.databaseTimeoutMs });
  const repositories = await openRepositories(connection);
  // Fields an older build derived by rules since changed (e.g. R1's issued documents).
  await repositories.filings.reconcile();
  const mail = mailSettings(config.mail);
  const services = buildServices(repositories, mail, { deadlines: config.deadlines, periods: config.periods, concentratedMinComments: config.concentratedMinComments });
  const sink = config.mail.smtpUrl ? new SmtpSink(config.mail.smtpUrl) : new FolderSink(config.mail.dir);
  const sources = [new FilingOutboxSource(repositories.mail), new CommentNoticeSource(repositories.mail, repositories.filings, mail)];
  const dispatcher = new MailDispatcher(sources, sink, {
    instanceId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    from: config.mail.from,
    leaseMs: config.mail.leaseMs,
    maxAttempts: 10,
    backoffMs: exponentialBackoff(config.mail.retryMs, 3_600_000),
    batchSize: 50,
    logger,
  });
  const app = createApp({
    services,
    public: { commentsPerMinute: config.commentsPerMinute, csrfSecret: config.csrfSecret },
    logger,
    bodyLimit: config.bodyLimit,
    describeDatabase: () => database.backend,
    requestTimeoutMs: config.requestTimeoutMs,
  });

  const server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // Port taken or not permitted: leave nothing running behind us.
    sink.close();
    await connection.close();
    await database.stop();
    throw error;
  }
  // Only a service that is really up tells the scripts where its database is.
  if (database.backend !== 'external') {
    writeEmbeddedAddress(config.dataDir, { uri: database.uri, backend: database.backend, pid: process.pid });
  }
  const mailLoop = new PeriodicTask('mail dispatch', () => dispatcher.runOnce(), logger);
  mailLoop.start(config.mail.pollMs);
  // The dated steps and notices: each pass takes whatever fell due, also while the service was down.
  const closer = new ConsultationCloser(services, logger);
  const validity = new ValidityRecorder(services);
  const notices = new DeadlineNotices(services);
  const closeLoop = new PeriodicTask(
    'dated steps (comment periods, validity, deadline notices)',
    async () => {
      await closer.runOnce();
      await validity.runOnce();
      await notices.runOnce();
    },
    logger,
  );
  closeLoop.start(config.schedulePollMs);
  logger.info(`Predisclosure listening on http://${config.host}:${config.port} (database: ${database.description})`);
  logger.info(`e-mail goes to ${sink.description}${config.mail.smtpUrl ? '' : ' (set SMTP_URL to send for real)'}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeLoop.stop();
    await mailLoop.stop();
    sink.close();
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
