/** How far into a file `looksBinary` looks, as git does. */
const SNIFF_BYTES = 8000;

/** Whether `bytes` look like a binary file: git's rule, a NUL byte near the start. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/** The lines of `text`, each keeping its line ending; an empty text has no lines. */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}
