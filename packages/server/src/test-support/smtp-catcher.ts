import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server on a free local port that keeps every message it is sent. */
export interface SmtpCatcher {
  /** An smtp:// URL, with the credentials the catcher demands, for Quarry's mail settings. */
  url: string;
  /** The SMTP password, so tests can look for it where it must not be. */
  password: string;
  /** Quarry's mail settings for sending through the catcher. */
  settings: { smtpUrl: string; from: string };
  mail: CaughtMail[];
  /** The newest message to `address`; fails when none has arrived. */
  lastTo(address: string): CaughtMail;
  close(): Promise<void>;
}

const USER = 'quarry';

/**
 * Starts the catcher. A message is stored before the server acknowledges it, so once
 * Quarry's request has returned (it awaits the send), the message is already here.
 */
export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const password = `smtp-${Math.random().toString(36).slice(2)}`;
  const mail: CaughtMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: nodemailer would refuse the catcher's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === password) {
        callback(null, { user: USER });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mail.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const url = `smtp://${USER}:${password}@127.0.0.1:${port}`;
  return {
    url,
    password,
    settings: { smtpUrl: url, from: 'Quarry <quarry@example.org>' },
    mail,
    lastTo(address) {
      const found = mail.filter((m) => m.to.includes(address)).at(-1);
      if (!found) throw new Error(`No e-mail to ${address} arrived`);
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token in the link of an e-mail (reset or invitation). */
export function tokenIn(mail: CaughtMail): string {
  const token = /[?&]token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`No link with a token in "${mail.subject}"`);
  return token;
}
