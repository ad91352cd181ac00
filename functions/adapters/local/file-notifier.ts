/**
 * A {@link Notifier} for local runs: writes each incident message to a file and/or a stream
 * (stdout), in the shape an e-mail subscriber of the SNS topic would see it.
 */
import { sha256Text } from '../../core/model/store-layout.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncidentMessage, Notifier } from '../../core/ports/notifier.port.js';

export interface FileNotifierOptions {
  /** Folder the message files go into (`<dir>/<messageId>.txt`), created when missing. */
  readonly dir?: string;
  /** A stream to print messages to, e.g. `process.stdout`. */
  readonly stream?: NodeJS.WritableStream;
}

/** The message as text: `Subject:` and `Attributes:` headers, a blank line, the body. */
export function formatMessage(message: IncidentMessage): string {
  const attributes = Object.entries(message.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `Subject: ${message.subject}\nAttributes: ${attributes}\n\n${message.body.endsWith('\n') ? message.body : `${message.body}\n`}`;
}

/**
 * Message ids are `msg-` + the first 20 hex characters of the sha256 of the formatted message:
 * the same message always gets the same id (and file), like a deduplicated publish.
 *
 * @example
 *   const notifier = new FileNotifier({ dir: 'out/messages', stream: process.stdout });
 *   const id = await notifier.publish(incidentMessage(diagnosis)); // writes out/messages/<id>.txt
 */
export class FileNotifier implements Notifier {
  constructor(private readonly options: FileNotifierOptions = {}) {}

  /** Writes the message; resolves to its id. Rejects when the file or stream cannot be written. */
  async publish(message: IncidentMessage): Promise<string> {
    const text = formatMessage(message);
    const id = `msg-${sha256Text(text).slice(0, 20)}`;
    const stream = this.options.stream ?? (this.options.dir ? undefined : process.stdout);
    if (this.options.dir) {
      await mkdir(this.options.dir, { recursive: true });
      await writeFile(path.join(this.options.dir, `${id}.txt`), text);
    }
    if (stream) {
      await new Promise<void>((resolve, reject) => {
        stream.write(`${text}\n`, (error) => (error ? reject(error) : resolve()));
      });
    }
    return id;
  }
}
