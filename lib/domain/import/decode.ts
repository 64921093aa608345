import { isUtf8 } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import { FatalFileError, FILE_COLUMN } from "./errors";
import { MAX_IMPORT_BYTES } from "./kinds";

const CHUNK_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/**
 * Refuses files that would otherwise import as mojibake or fail deep in the parser with a
 * message nobody understands: too large, spreadsheets saved in the wrong format, UTF-16, and
 * bytes that are not UTF-8 (Latin-1 exports), naming the line of the first bad byte.
 */
export function checkFileBytes(content: Buffer): void {
  if (content.length > MAX_IMPORT_BYTES) {
    throw new FatalFileError(0, FILE_COLUMN, `The file is ${mib(content.length)}; the limit is ${mib(MAX_IMPORT_BYTES)}. Split it into several files.`);
  }
  if (content.length === 0) throw new FatalFileError(0, FILE_COLUMN, "The file is empty.");
  if (content.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"))) {
    throw new FatalFileError(0, FILE_COLUMN, 'This looks like an Excel workbook or a zip file. Save it as "CSV UTF-8" and upload that.');
  }
  const head = content.subarray(0, 2);
  if (head.equals(Buffer.from([0xff, 0xfe])) || head.equals(Buffer.from([0xfe, 0xff])) || content.subarray(0, 1024).includes(0)) {
    throw new FatalFileError(0, FILE_COLUMN, 'The file is encoded as UTF-16 (or is not text). Save it as UTF-8 ("CSV UTF-8" in Excel) and upload it again.');
  }
  if (!isUtf8(content)) {
    // Only on this error path is the whole file decoded at once, to say where the problem is.
    const text = content.toString("utf8");
    const at = text.indexOf("\uFFFD");
    let line = 1;
    for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
    throw new FatalFileError(
      line,
      FILE_COLUMN,
      `The file is not valid UTF-8 (first bad byte on line ${line}); it was probably saved as Latin-1 or Windows-1252. Save it as UTF-8 and upload it again.`,
    );
  }
}

/** The file as text, in chunks: a UTF-8 BOM is dropped and multi-byte characters never split. */
export function* textChunks(content: Buffer): Generator<string> {
  const decoder = new StringDecoder("utf8");
  const start = content.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  for (let offset = start; offset < content.length; offset += CHUNK_BYTES) {
    const text = decoder.write(content.subarray(offset, Math.min(offset + CHUNK_BYTES, content.length)));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
