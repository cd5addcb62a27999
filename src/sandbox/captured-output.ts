// A stream's output kept up to a byte limit: a hook that floods stdout is capped, not fatal.

export interface CapturedOutput {
  text: string;
  bytes: number;
  truncated: boolean;
}

export class OutputCapture {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #total = 0;

  constructor(limitBytes: number) {
    this.#limit = limitBytes;
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    const room = this.#limit - this.#kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  result(): CapturedOutput {
    return { text: Buffer.concat(this.#chunks).toString('utf8'), bytes: this.#total, truncated: this.#total > this.#kept };
  }
}
