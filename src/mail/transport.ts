import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

/** One e-mail as the dispatcher hands it over. */
export interface OutgoingMail {
  messageId: string;
  from: string;
  to: { name: string; email: string };
  subject: string;
  html: string;
  text: string;
}

export interface MailSink {
  /** Resolves with the server's answer once it accepted the message; rejects otherwise. */
  send(mail: OutgoingMail): Promise<string>;
  readonly description: string;
  close(): void;
}

function envelope(mail: OutgoingMail) {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: { name: mail.to.name, address: mail.to.email },
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Real delivery over SMTP (`SMTP_URL`, e.g. `smtp://user:pass@mail.example.gov.cn:587`). */
export class SmtpSink implements MailSink {
  private readonly transporter: Transporter;
  readonly description: string;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url, {
      // A dead server must fail the attempt quickly; the dispatcher retries with backoff.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
    const { hostname, port } = new URL(url);
    this.description = `SMTP ${hostname}:${port || 25}`;
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transporter.sendMail(envelope(mail));
    return String(info.response ?? 'accepted');
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Without SMTP configuration messages are caught in a folder as .eml files, so a newcomer can
 * open what would have been sent.
 */
export class FolderSink implements MailSink {
  private readonly transporter: Transporter;
  readonly description: string;

  constructor(private readonly dir: string) {
    this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    this.description = `.eml files in ${dir}`;
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transporter.sendMail(envelope(mail));
    fs.mkdirSync(this.dir, { recursive: true });
    // Named by Message-ID, so a resend of the same message overwrites rather than doubles.
    const name = mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@_-]/g, '_');
    const file = path.join(this.dir, `${name}.eml`);
    fs.writeFileSync(file, info.message as Buffer);
    return `saved ${file}`;
  }

  close(): void {
    this.transporter.close();
  }
}
