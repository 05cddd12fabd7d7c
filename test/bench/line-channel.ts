/**
 * Request/answer over lines: each request is one line starting with a
 * command word, each answer one line starting with the same word. Answers
 * are matched to the oldest pending request with that word, so a slow
 * command (mo-burst) does not hold up a quick one (stats).
 */
import { createInterface } from 'readline';
import type { Readable } from 'stream';

interface Waiting {
  word: string;
  resolve: (answer: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class LineChannel {
  private readonly waiting: Waiting[] = [];
  private closed = false;

  /** `prefix`: only lines starting with it are answers (it is cut off). */
  constructor(input: Readable, private readonly write: (line: string) => void, private readonly prefix = '', onOther?: (line: string) => void) {
    const rl = createInterface({ input, terminal: false });
    rl.on('line', (raw) => {
      if (!raw.startsWith(this.prefix)) {
        onOther?.(raw);
        return;
      }
      const line = raw.slice(this.prefix.length);
      const word = line.split(' ', 1)[0];
      const i = this.waiting.findIndex((w) => w.word === word);
      if (i < 0) {
        onOther?.(raw);
        return;
      }
      const [w] = this.waiting.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(line.slice(word.length + 1));
    });
    rl.on('close', () => this.fail(new Error('the other side closed the channel')));
  }

  /** Sends `command` and resolves with its answer (without the command word); rejects after timeoutMs. */
  request(command: string, timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(new Error('channel closed'));
    const word = command.split(' ', 1)[0];
    return new Promise<string>((resolve, reject) => {
      const w: Waiting = {
        word,
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Error(`no answer to '${word}' within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiting.push(w);
      this.write(command);
    });
  }

  fail(err: Error): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
