/**
 * UTF-8 bytes written straight into a buffer, handed out in chunks of about `chunkBytes`: how a report of 1M rows is
 * printed without a string (or a rope of strings) per row. JSON strings are escaped exactly as JSON.stringify escapes
 * them: printable ASCII without `"` and `\` is copied byte by byte, anything else goes through JSON.stringify.
 * Pure: Uint8Array and TextEncoder only, so the browser, the API's worker and the CLI use the same code.
 */
const encoder = new TextEncoder();

export class JsonChunks {
  private buf: Uint8Array;
  private pos = 0;

  /**
   * `reuse`: the consumer is done with a chunk once `emit` returns (or its promise resolves), so one buffer serves
   * every chunk; otherwise each chunk gets a fresh buffer it may keep (a stream's queue, a transfer to another thread).
   */
  constructor(
    private readonly chunkBytes: number,
    private readonly emit: (chunk: Uint8Array) => void | Promise<void>,
    private readonly reuse = false,
  ) {
    this.buf = new Uint8Array(chunkBytes + 16 * 1024);
  }

  /** True once a chunk's worth is buffered (the caller then awaits flush()). */
  get full(): boolean {
    return this.pos >= this.chunkBytes;
  }

  /** Hands the buffered bytes to `emit` (a fresh buffer is used afterwards: the consumer may keep the chunk). */
  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    if (!this.reuse) this.buf = new Uint8Array(this.chunkBytes + 16 * 1024);
    this.pos = 0;
    await this.emit(chunk);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    // encodeInto needs room for the worst case: 3 bytes per UTF-16 unit.
    if (s.length < 64 && isAscii(s)) return this.ascii(s);
    this.ensure(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Text known to be ASCII (the report's own punctuation and keys). */
  ascii(s: string): void {
    this.ensure(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    // TypedArray#set costs about as much as copying a dozen bytes one by one: longer pieces go through it.
    if (b.length < 12) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
      this.pos = p;
    } else {
      this.buf.set(b, this.pos);
      this.pos += b.length;
    }
  }

  /** A non-negative integer (line numbers), as JSON writes it. */
  uint(n: number): void {
    // Up to 2^31 - 1 the digits come from int32 arithmetic; anything else (never a line number) through JSON.
    if (!(n >= 0 && n <= 0x7fffffff && (n | 0) === n)) return this.text(JSON.stringify(n));
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    if (n < 10) {
      b[p] = 48 + n;
      this.pos = p + 1;
      return;
    }
    p +=
      n < 100
        ? 2
        : n < 1000
          ? 3
          : n < 10000
            ? 4
            : n < 100000
              ? 5
              : n < 1000000
                ? 6
                : n < 10000000
                  ? 7
                  : n < 100000000
                    ? 8
                    : n < 1000000000
                      ? 9
                      : 10;
    this.pos = p;
    while (n >= 10) {
      const q = (n / 10) | 0;
      b[--p] = 48 + n - q * 10;
      n = q;
    }
    b[--p] = 48 + n;
  }

  /** JSON.stringify(s), as UTF-8. */
  string(s: string): void {
    this.ensure(s.length + 2);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    b[p++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.pos = start;
        return this.text(JSON.stringify(s));
      }
      b[p++] = c;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** JSON.stringify(source.slice(start, end)), as UTF-8, without making that string. */
  stringOf(source: string, start: number, end: number): void {
    this.ensure(end - start + 2);
    const b = this.buf;
    const begin = this.pos;
    let p = begin;
    b[p++] = 34;
    for (let i = start; i < end; i++) {
      const c = source.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.pos = begin;
        return this.string(source.slice(start, end));
      }
      b[p++] = c;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** The bytes written since `mark` (a position read from `position`), copied: a row part to reuse. */
  slice(mark: number): Uint8Array {
    return this.buf.slice(mark, this.pos);
  }

  get position(): number {
    return this.pos;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Bytes to text chunks for a consumer of strings: a character split across two chunks is decoded whole. */
export function textChunks(emit: (chunk: string) => void | Promise<void>): {
  bytes: (chunk: Uint8Array) => void | Promise<void>;
  end: () => void | Promise<void>;
} {
  const decoder = new TextDecoder();
  return {
    bytes: (chunk) => emit(decoder.decode(chunk, { stream: true })),
    end: () => {
      const rest = decoder.decode();
      return rest === "" ? undefined : emit(rest);
    },
  };
}
