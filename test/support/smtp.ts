import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

/** What a test looks at in a received message. */
export interface ReceivedMail {
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

async function parse(raw: Buffer): Promise<ReceivedMail> {
  const mail = await PostalMime.parse(raw);
  const first = mail.to?.[0];
  return {
    to: first && 'address' in first ? (first.address ?? '') : '',
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    text: mail.text ?? '',
    html: mail.html ?? '',
  };
}

/**
 * A real SMTP server in-process: receives, parses and keeps every message. It can be stopped
 * and restarted on the same port to play an outage, and told to refuse some recipients.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  constructor(private readonly refuse: (address: string) => boolean = () => false) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse(address.address)) {
          callback(Object.assign(new Error('5.1.1 用户不存在 (mailbox unavailable)'), { responseCode: 550 }));
        } else {
          callback();
        }
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          parse(Buffer.concat(chunks))
            .then((mail) => {
              this.received.push(mail);
              callback();
            })
            .catch(callback);
        });
      },
    });
    // Restarted on the same port to end an outage: a port from the ephemeral range could meanwhile
    // become the source port of a retrying client's dial and connect to itself (TCP self-connect),
    // so the first start picks one below Linux's ephemeral range.
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    if (this.port !== 0) {
      await listen(this.port);
    } else {
      for (let attempt = 0; ; attempt++) {
        const candidate = 20_000 + Math.floor(Math.random() * 10_000);
        try {
          await listen(candidate);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 50) throw error;
        }
      }
    }
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Takes what arrived so far. */
  drain(): ReceivedMail[] {
    return this.received.splice(0, this.received.length);
  }
}

export function recipientOf(mail: ReceivedMail): string {
  return mail.to;
}
