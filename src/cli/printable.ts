/**
 * What the command line prints goes to a terminal, and some of it comes
 * from boards (model strings, hostnames, error messages): a board that
 * answers with escape codes must not retitle, recolour or rewrite the
 * person's terminal. Every control character but tab and newline becomes
 * U+FFFD; C1 controls (U+0080–U+009F, which some terminals obey in UTF-8)
 * too. JSON output is text like any other: JSON.stringify leaves C1 as is.
 */
import { Writable } from 'node:stream';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(controls, '\ufffd');
}

/** A stream that writes `target` only printable text. */
export function printableStream(target: NodeJS.WritableStream): NodeJS.WritableStream {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      target.write(printable(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      done();
    },
  });
}
