// Streaming tokenizer for leak scanning. Splits text into word tokens,
// normalised so that spelling variants meet: case folded, diacritics stripped,
// ligatures expanded; soft hyphens and zero-width characters inside a word are
// ignored; letters and digits split ("P10231" -> "p", "10231"). Every token
// keeps its offset, line and column in the original text. Pure: no I/O.
//
// This loop runs over every byte of every document, so it works on UTF-8
// bytes and allocates nothing per word: a plain ASCII word is hashed as it is
// read and looked up in a WordTable (each distinct word is normalised and
// resolved once per run); words the matcher has no use for are passed on as a
// "gap". Offsets are byte offsets; TextFeed maps them back to string offsets.

export interface Token {
  /** Normalised form: "özdemir" -> "ozdemir", "IJzerman" -> "ijzerman". */
  norm: string;
  start: number;
  end: number;
  line: number;
  column: number;
  /** A comma stood between this token and the one before ("Berg, P.J."). */
  afterComma: boolean;
}

/** What a distinct word means to the matcher; one shared object per word. */
export interface WordInfo {
  readonly norm: string;
  /** Id in the leak index's vocabulary, or -1. */
  readonly id: number;
  /** A title before a surname ("mevrouw", "dhr"). */
  readonly title: boolean;
  /** The character code when the word is one character long (an initial), else 0. */
  readonly single: number;
  /** The matcher needs to see this word; others only break a sequence. */
  readonly keep: boolean;
}

export interface TokenSink {
  word(w: WordInfo, start: number, end: number, line: number, column: number, afterComma: boolean): void;
  /** One or more words the matcher has no use for. */
  gap(): void;
}

const enum C {
  Sep = 0,
  Letter = 1,
  Digit = 2,
  Skip = 3,
}

const SKIP = new Set([0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const classes = new Uint8Array(0x10000);
const known = new Uint8Array(0x10000);
for (let c = 0x30; c <= 0x39; c++) classes[c] = C.Digit;
for (let c = 0x41; c <= 0x5a; c++) classes[c] = C.Letter;
for (let c = 0x61; c <= 0x7a; c++) classes[c] = C.Letter;
for (let c = 0; c < 0x80; c++) known[c] = 1;

function classOf(code: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the class cache only saves a regex test; without it (known[] reads undefined past U+FFFF) the class is worked out again, the same
  if (code < 0x10000 && known[code]) return classes[code]!;
  let k: number = C.Sep;
  const ch = String.fromCodePoint(code);
  if (SKIP.has(code)) k = C.Skip;
  else if (/\p{N}/u.test(ch)) k = C.Digit;
  else if (/[\p{L}\p{M}]/u.test(ch)) k = C.Letter;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, caching a class or not changes no answer; writes past the end of a Uint8Array are ignored
  if (code < 0x10000) {
    classes[code] = k;
    known[code] = 1;
  }
  return k;
}

const SPECIAL_FOLDS: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ı: 'i', þ: 'th' };

/** Case fold, strip diacritics, expand ligatures. ASCII takes the fast path. */
export function normaliseToken(raw: string): string {
  // eslint-disable-next-line no-control-regex
  // Stryker disable next-line ConditionalExpression,Regex: equivalent, the ASCII fast path; NFKD, mark stripping and the special folds leave ASCII as it is
  if (/^[\x00-\x7f]*$/u.test(raw)) return raw.toLowerCase();
  return raw
    .normalize('NFKD')
    // Stryker disable next-line Regex: equivalent, removing marks one at a time or a run at a time gives the same string
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđıþ]/gu, (c) => SPECIAL_FOLDS[c] ?? c);
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Natural text has a small vocabulary; random data must not grow memory without bound. */
const MAX_WORDS = 500_000;
/**
 * More separator bytes than this between two words is a gap: no name is
 * written that far apart, and pending matches are then settled promptly.
 */
const MAX_SEPARATION = 256;

// ignoreBOM keeps a U+FEFF at the start of a piece as a character: offsets must count it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function asciiString(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]! | 0x20);
  return s;
}

/**
 * Distinct words of a run and what they mean. ASCII words are found by a hash
 * of their lower-cased bytes, checked byte by byte (so a hash collision can
 * never hide a name); other words by their normalised form.
 */
export class WordTable {
  private mask = 4095;
  private hashes = new Int32Array(4096);
  /** Where each word's lower-cased bytes sit in `pool`; comparing bytes is cheaper than comparing with a string. */
  private offsets = new Int32Array(4096);
  private lengths = new Int32Array(4096);
  // Stryker disable next-line ArrayDeclaration: equivalent, an unset slot reads undefined whatever length the array was made with
  private words: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(4096);
  private used = 0;
  // Stryker disable next-line ArithmeticOperator: equivalent, only the pool's first size; insert() grows it as needed
  private pool = new Uint8Array(64 * 1024);
  private poolUsed = 0;
  private readonly byNorm = new Map<string, WordInfo>();

  constructor(private readonly resolve: (norm: string) => WordInfo) {}

  /** The word b[start, end) of ASCII letters or digits, whose FNV-1a hash over lower-cased bytes is `hash`. */
  ascii(hash: number, b: Uint8Array, start: number, end: number): WordInfo {
    const len = end - start;
    const pool = this.pool;
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: equivalent, the hash table is a cache: a lookup that stops or probes the other way misses, and norm() returns the same WordInfo
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const w = this.words[i];
      // Stryker disable next-line ConditionalExpression: equivalent, stopping at once is a cache miss; norm() returns the same WordInfo
      if (w === undefined) break;
      if (this.hashes[i] === hash && this.lengths[i] === len) {
        const o = this.offsets[i]!;
        let k = 0;
        while (k < len && pool[o + k] === (b[start + k]! | 0x20)) k++;
        if (k === len) return w;
      }
    }
    const w = this.norm(asciiString(b, start, end));
    this.insert(hash, w, b, start, end);
    return w;
  }

  /** A word by its normalised form. */
  norm(norm: string): WordInfo {
    let w = this.byNorm.get(norm);
    if (w === undefined) {
      if (this.byNorm.size >= MAX_WORDS) this.clear();
      w = this.resolve(norm);
      this.byNorm.set(norm, w);
    }
    return w;
  }

  // Stryker disable next-line BlockStatement: equivalent, a word not cached is found by norm() again, with the same WordInfo
  private insert(hash: number, w: WordInfo, b: Uint8Array, start: number, end: number): void {
    // Stryker disable next-line EqualityOperator: equivalent, growing one word earlier (the table stays at most half full); '<=' grows on every insert and only exhausts memory
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const len = end - start;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: equivalent, a pool too small drops the bytes written past its end; the byte check then fails and the lookup misses (never a false hit); norm() returns the same WordInfo
    if (this.poolUsed + len > this.pool.length) {
      // Stryker disable next-line MethodExpression,ArithmeticOperator: equivalent, a pool too small only makes lookups miss (see above); a larger one only costs memory
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
    }
    const o = this.poolUsed;
    // Stryker disable next-line EqualityOperator: equivalent, the byte written past the word is overwritten by the next word and never read for this one ('>=' writes nothing: lookups miss)
    for (let k = 0; k < len; k++) this.pool[o + k] = b[start + k]! | 0x20;
    this.poolUsed += len;
    this.place(hash, o, len, w);
  }

  // Stryker disable next-line BlockStatement: equivalent, a word not placed is a cache miss; norm() returns the same WordInfo
  private place(hash: number, offset: number, length: number, w: WordInfo): void {
    let i = hash & this.mask;
    // Stryker disable next-line ConditionalExpression: equivalent, overwriting an occupied slot loses a cached word (a miss), never gives a wrong one
    while (this.words[i] !== undefined) i = (i + 1) & this.mask;
    this.hashes[i] = hash;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.words[i] = w;
    this.used++;
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldOffsets = this.offsets;
    const oldLengths = this.lengths;
    const oldWords = this.words;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.offsets = new Int32Array(size);
    this.lengths = new Int32Array(size);
    // Stryker disable next-line ArrayDeclaration: equivalent, an unset slot reads undefined whatever length the array was made with
    this.words = new Array<WordInfo | undefined>(size);
    this.used = 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, words lost in a rehash are cache misses; norm() returns the same WordInfo
    for (let i = 0; i < oldWords.length; i++) if (oldWords[i] !== undefined) this.place(oldHashes[i]!, oldOffsets[i]!, oldLengths[i]!, oldWords[i]!);
  }

  private clear(): void {
    this.byNorm.clear();
    this.mask = 4095;
    this.hashes = new Int32Array(4096);
    this.offsets = new Int32Array(4096);
    this.lengths = new Int32Array(4096);
    // Stryker disable next-line ArrayDeclaration: equivalent, an unset slot reads undefined whatever length the array was made with
    this.words = new Array<WordInfo | undefined>(4096);
    this.used = 0;
    // Stryker disable next-line ArithmeticOperator: equivalent, only the pool's first size; insert() grows it as needed
    this.pool = new Uint8Array(64 * 1024);
    this.poolUsed = 0;
  }
}

/**
 * Tokenises UTF-8 text fed in chunks that each end on a character boundary
 * (TextFeed makes them); words go to the sink in order, with byte offsets and
 * lines and columns counted in characters (code points).
 */
export class Tokenizer {
  private base = 0; // byte offset of the current chunk
  private line = 1;
  private lineStart = 0; // byte offset where the current line starts
  private cont = 0; // UTF-8 continuation bytes so far (so columns count characters)
  private contAtLineStart = 0;
  private comma = false; // a comma in the separators since the last token
  private lastGap = false;
  private lastEnd = 0; // where the previous token ended
  // The token being built; it may continue in the next chunk.
  private tokClass: number = C.Sep;
  /** Where a token that began in an earlier chunk began. */
  private tokStart = 0;
  /** Continuation bytes before the token began; kept only once the token has any of its own. */
  private tokCont = 0;
  private hash = FNV_OFFSET;
  /** Plain ASCII, begun in this chunk: found by its hash. Otherwise built up in `raw`. */
  // Stryker disable next-line BooleanLiteral: equivalent, `fast` is set when a token begins and only read inside one
  private fast = true;
  private raw = '';

  constructor(
    private readonly words: WordTable,
    private readonly sink: TokenSink,
  ) {}

  feed(b: Uint8Array): void {
    const n = b.length;
    const base = this.base;
    // The hot state lives in locals for the loop and goes back to fields after
    // it; a token's line, column and comma are worked out when it ends.
    let tokClass = this.tokClass;
    let fast = this.fast;
    let hash = this.hash;
    let runFrom = 0; // where the part of the current token not yet copied to raw begins (slow tokens)
    let tokFrom = -1; // the current token's first byte, when it began in this chunk
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      // Stryker disable next-line EqualityOperator: equivalent, 0x80 is a continuation byte; as a stray lead byte both paths take it for one separator (U+0080 and U+FFFD are separators)
      if (c < 0x80) {
        const k = classes[c]!;
        if (k !== C.Sep) {
          if (tokClass !== k) {
            this.boundary(b, tokClass, tokFrom, runFrom, i, hash, fast);
            tokClass = k;
            fast = true;
            hash = FNV_OFFSET;
            tokFrom = i;
            runFrom = i;
          }
          hash = Math.imul(hash ^ (c | 0x20), FNV_PRIME);
        } else {
          if (tokClass !== C.Sep) {
            this.finish(b, tokFrom, runFrom, i, hash, fast);
            tokClass = C.Sep;
          }
          if (c === 0x2c) this.comma = true;
          else if (c === 0x0a) {
            this.line++;
            this.lineStart = base + i + 1;
            this.contAtLineStart = this.cont;
          }
        }
        continue;
      }
      let cp: number;
      let len: number;
      if (c >= 0xf0) (cp = ((c & 7) << 18) | ((b[i + 1]! & 63) << 12) | ((b[i + 2]! & 63) << 6) | (b[i + 3]! & 63)), (len = 4);
      else if (c >= 0xe0) (cp = ((c & 15) << 12) | ((b[i + 1]! & 63) << 6) | (b[i + 2]! & 63)), (len = 3);
      else if (c >= 0xc2) (cp = ((c & 31) << 6) | (b[i + 1]! & 63)), (len = 2);
      // A stray continuation byte, or 0xC0/0xC1 (never valid UTF-8): one U+FFFD,
      // as a TextDecoder reads it, so the byte after it is not swallowed.
      else (cp = 0xfffd), (len = 1);
      const k = classOf(cp);
      if (k === C.Letter || k === C.Digit) {
        if (tokClass !== k) {
          this.boundary(b, tokClass, tokFrom, runFrom, i, hash, fast);
          tokClass = k;
          tokFrom = i;
          runFrom = i;
          fast = true;
        }
        if (fast) this.tokCont = this.cont;
        fast = false;
      } else if (k === C.Sep) {
        if (tokClass !== C.Sep) {
          this.finish(b, tokFrom, runFrom, i, hash, fast);
          tokClass = C.Sep;
        }
      } else if (tokClass !== C.Sep) {
        // an invisible character inside a word: drop it, the word goes on
        if (fast) this.tokCont = this.cont;
        fast = false;
        this.raw += utf8.decode(b.subarray(runFrom, i));
        runFrom = i + len;
      }
      this.cont += len - 1;
      i += len - 1;
    }
    if (tokClass !== C.Sep) {
      // The token goes on in the next chunk: keep its text and where it began.
      if (tokFrom >= 0) this.tokStart = base + tokFrom;
      if (fast) this.tokCont = this.cont;
      fast = false;
      this.raw += utf8.decode(b.subarray(runFrom));
    }
    this.tokClass = tokClass;
    this.fast = fast;
    this.hash = hash;
    this.base = base + n;
  }

  /**
   * A word begins at b[i]: the one before it ends (at a letter <-> digit
   * boundary), or a long run of separators since the last word is a gap.
   */
  private boundary(b: Uint8Array, prevClass: number, tokFrom: number, runFrom: number, i: number, hash: number, fast: boolean): void {
    if (prevClass !== C.Sep) this.finish(b, tokFrom, runFrom, i, hash, fast);
    else if (this.base + i - this.lastEnd > MAX_SEPARATION && !this.lastGap) {
      this.sink.gap();
      this.lastGap = true;
    }
  }

  /** The token ends at b[end]; it began at b[tokFrom], or in an earlier chunk when tokFrom is -1. */
  private finish(b: Uint8Array, tokFrom: number, runFrom: number, end: number, hash: number, fast: boolean): void {
    let w: WordInfo;
    // Stryker disable next-line ConditionalExpression: equivalent, the slow path gives a plain ASCII word the same normal form, hence the same WordInfo
    if (fast) w = this.words.ascii(hash, b, tokFrom, end);
    else {
      w = this.words.norm(normaliseToken(this.raw + utf8.decode(b.subarray(runFrom, end))));
      this.raw = '';
    }
    const tokEnd = this.base + end;
    if (w.keep) {
      // No line break or comma can sit inside a token: the line and comma flag are still the token's.
      const start = tokFrom >= 0 ? this.base + tokFrom : this.tokStart;
      const column = start - this.lineStart - ((fast ? this.cont : this.tokCont) - this.contAtLineStart) + 1;
      this.sink.word(w, start, tokEnd, this.line, column, this.comma);
      this.lastGap = false;
    } else if (!this.lastGap) {
      this.sink.gap();
      this.lastGap = true;
    }
    this.lastEnd = tokEnd;
    this.comma = false;
  }

  end(): void {
    if (this.tokClass !== C.Sep) {
      this.finish(new Uint8Array(0), -1, 0, 0, this.hash, false);
      this.tokClass = C.Sep;
    }
  }

  /** Byte offset, line and column where the next character would be. */
  position(): { offset: number; line: number; column: number } {
    return { offset: this.base, line: this.line, column: this.base - this.lineStart - (this.cont - this.contAtLineStart) + 1 };
  }
}

interface Piece {
  byteBase: number;
  strBase: number;
  bytes: Uint8Array;
  ascii: boolean;
  /** The last offset mapped in a non-ASCII piece (bytes, UTF-16 units from the piece's start): offsets come mostly in order, so the next walk starts here. */
  atByte: number;
  atStr: number;
}

const encoder = new TextEncoder();

/**
 * How far back (in bytes) offsets can still be mapped to strings: a pending
 * match is settled within a few words after it (see MAX_SEPARATION), far less.
 */
const KEEP_BYTES = 64 * 1024;

/**
 * Feeds string chunks to a Tokenizer as UTF-8, and maps the byte offsets it
 * reports back to offsets in the strings, for the last KEEP_BYTES at least.
 */
export class TextFeed {
  private pieces: Piece[] = [];
  private strBase = 0;
  private byteBase = 0;
  private pendingHigh = ''; // a high surrogate at the end of a chunk waits for its pair

  constructor(readonly tokenizer: Tokenizer) {}

  feed(input: string): void {
    let chunk = this.pendingHigh + input;
    this.pendingHigh = '';
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pendingHigh = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
    }
    if (chunk !== '') this.push(chunk);
  }

  private push(chunk: string): void {
    const bytes = encoder.encode(chunk);
    while (this.pieces.length > 1 && this.pieces[1]!.byteBase <= this.byteBase - KEEP_BYTES) this.pieces.shift();
    // Stryker disable next-line ConditionalExpression: equivalent, walking an ASCII piece counts one UTF-16 unit per byte, as the shortcut does
    this.pieces.push({ byteBase: this.byteBase, strBase: this.strBase, bytes, ascii: bytes.length === chunk.length, atByte: 0, atStr: 0 });
    this.byteBase += bytes.length;
    this.strBase += chunk.length;
    this.tokenizer.feed(bytes);
  }

  end(): void {
    // A high surrogate still waiting for its pair never gets one: it is read
    // as it is (one U+FFFD), so offsets and columns count it once.
    if (this.pendingHigh) {
      this.push(this.pendingHigh);
      this.pendingHigh = '';
    }
    this.tokenizer.end();
  }

  /** The string offset of a byte offset in the text still kept. */
  stringOffset(byteOffset: number): number {
    let k = this.pieces.length - 1;
    // Stryker disable next-line EqualityOperator: equivalent, an offset at a piece boundary maps to the same string offset from either piece; below the first piece both throw the same error
    while (k > 0 && this.pieces[k]!.byteBase > byteOffset) k--;
    const p = this.pieces[k];
    if (!p || byteOffset < p.byteBase) throw new Error(`offset ${byteOffset} is no longer in the window`);
    const d = byteOffset - p.byteBase;
    // Stryker disable next-line ConditionalExpression: equivalent, walking an ASCII piece counts one UTF-16 unit per byte, as the shortcut does
    if (p.ascii) return p.strBase + d;
    // Count UTF-16 units by walking the UTF-8 bytes (decoding the piece up to
    // here for every match made accented text with many findings quadratic).
    let i = p.atByte;
    let n = p.atStr;
    if (d < i) (i = 0), (n = 0);
    const b = p.bytes;
    for (; i < d; i++) {
      const c = b[i]!;
      if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
    }
    p.atByte = d;
    p.atStr = n;
    return p.strBase + n;
  }

  /** String offset, line and column where the next character would be. */
  position(): { offset: number; line: number; column: number } {
    return { ...this.tokenizer.position(), offset: this.strBase };
  }
}

/** Every word as a Token object (string offsets): for building index forms and for tests, not for scanning. */
export function tokenStream(emit: (t: Token) => void): TextFeed {
  // Stryker disable next-line UnaryOperator: equivalent, the WordInfo never leaves tokenStream; only its norm reaches a Token
  const table = new WordTable((norm) => ({ norm, id: -1, title: false, single: 0, keep: true }));
  let feed: TextFeed | undefined = undefined;
  feed = new TextFeed(
    new Tokenizer(table, {
      word: (w, start, end, line, column, afterComma) =>
        emit({ norm: w.norm, start: feed!.stringOffset(start), end: feed!.stringOffset(end), line, column, afterComma }),
      gap: () => {},
    }),
  );
  return feed;
}

/** All tokens of a string, normalised. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const t = tokenStream((tok) => out.push(tok.norm));
  t.feed(text);
  t.end();
  return out;
}
