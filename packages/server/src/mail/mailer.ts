import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Sends e-mail through the configured SMTP server. Without one, the message (with its link)
 * is written to the log, so a single-user instance can still reset a password.
 */
export function createMailer(settings: Settings['mail'], log: Logger): Mailer {
  if (!settings.smtpUrl) {
    return {
      async send(mail) {
        log.warn(
          { mail: { to: mail.to, subject: mail.subject } },
          `No SMTP server is configured (QUARRY_SMTP_URL); this e-mail was not sent:\n${mail.text}`,
        );
      },
    };
  }
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: settings.from, ...mail });
      log.info({ mail: { to: mail.to, subject: mail.subject } }, 'e-mail sent');
    },
  };
}
