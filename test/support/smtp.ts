import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A real SMTP server on loopback that keeps what it receives, for tests to read codes and links from. */
export async function startTestSmtp() {
  const received: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to(address: string) {
      return received.filter((m) => to(m).includes(address.toLowerCase()));
    },
    /** Waits until a mail to `address` matching `match` arrives (or fails after `timeoutMs`). */
    async waitFor(address: string, match: (mail: ParsedMail) => boolean = () => true, timeoutMs = 10_000): Promise<ParsedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.filter((m) => to(m).includes(address.toLowerCase()) && match(m)).at(-1);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No mail to ${address} within ${timeoutMs} ms (got: ${received.map((m) => `${to(m)}: ${m.subject}`).join("; ")})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The signing token in a recipient's invitation, or null. */
export const linkIn = (mail: ParsedMail) => /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1] ?? null;
/** The 6-digit code in a code mail, or null. */
export const codeIn = (mail: ParsedMail) => /\b(\d{6})\b/.exec(mail.text ?? "")?.[1] ?? null;
