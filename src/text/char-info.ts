/**
 * Describes a character of a string for error messages:
 * "character 'ł' (U+0142) at position 4". Position counts Unicode
 * characters (code points) from 1, so an emoji before it counts once.
 * Only used on error paths.
 */
export function describeChar(text: string, index: number): string {
  const cp = text.codePointAt(index) ?? 0;
  let position = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    // a high surrogate followed by a low one is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    position++;
  }
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff);
  const shown = printable ? `'${String.fromCodePoint(cp)}' (${hex})` : hex;
  return `character ${shown} at position ${position}`;
}
