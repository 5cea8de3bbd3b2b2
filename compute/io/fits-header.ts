/**
 * FITS header cards (FITS Standard 4.0, §4: 80-character cards, 2880-byte blocks) with the two
 * common conventions we need: HIERARCH for keys longer than 8 characters (ESO convention, read by
 * astropy) and CONTINUE for string values longer than one card (FITS 4.0 §4.2.1.2).
 */
export const BLOCK = 2880;
export const CARD = 80;

export type CardValue = string | number | bigint | boolean;

function formatValue(value: CardValue): string {
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'bigint') return value.toString().padStart(20);
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value).padStart(20);
    let text = String(value).toUpperCase();
    if (!/[.E]/.test(text)) text += '.0';
    return text.padStart(20);
  }
  return `'${value.replace(/'/g, "''").padEnd(8)}'`;
}

function pad(card: string): string {
  if (card.length > CARD) throw new Error(`FITS card longer than 80 characters: ${card}`);
  return card.padEnd(CARD);
}

/** Only printable ASCII is allowed in headers; anything else becomes '?'. */
export function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** One keyword = value / comment card, or several when a long string needs CONTINUE cards. */
export function card(key: string, value: CardValue, comment?: string): string[] {
  const k = ascii(key);
  const hierarch = k.length > 8 || /[^A-Z0-9_-]/.test(k);
  const prefix = hierarch ? `HIERARCH ${k} = ` : `${k.padEnd(8)}= `;
  if (typeof value === 'string') {
    const text = ascii(value);
    const room = CARD - prefix.length - 2; // quotes
    const escaped = text.replace(/'/g, "''");
    if (escaped.length <= room) {
      const c = `${prefix}${formatValue(text)}`;
      return [
        pad(comment && c.length + 3 + comment.length <= CARD ? `${c} / ${ascii(comment)}` : c),
      ];
    }
    // CONTINUE long-string convention: each piece ends with '&' except the last
    const pieces: string[] = [];
    let rest = text;
    let first = true;
    while (rest.length > 0) {
      const space = (first ? room : CARD - 12) - 1; // room for '&'
      let take = Math.min(rest.length, space);
      // do not split a doubled quote
      while (rest.slice(0, take).replace(/'/g, "''").length > space) take -= 1;
      const piece = rest.slice(0, take).replace(/'/g, "''");
      rest = rest.slice(take);
      const body = `'${piece}${rest.length > 0 ? '&' : ''}'`;
      pieces.push(pad(first ? `${prefix}${body}` : `CONTINUE  ${body}`));
      first = false;
    }
    return pieces;
  }
  const c = `${prefix}${formatValue(value)}`;
  return [pad(comment && c.length + 3 + comment.length <= CARD ? `${c} / ${ascii(comment)}` : c)];
}

/** Header bytes: the cards, END, and spaces up to a multiple of 2880. */
export function headerBytes(cards: string[]): Uint8Array {
  const all = [...cards, pad('END')].join('');
  const size = Math.ceil(all.length / BLOCK) * BLOCK;
  const out = new Uint8Array(size).fill(0x20);
  for (let i = 0; i < all.length; i++) out[i] = all.charCodeAt(i);
  return out;
}

/** An empty primary HDU (SIMPLE, no data) whose header carries the run's parameters. */
export function primaryHeader(metadata: Record<string, string>): Uint8Array {
  const cards = [
    ...card('SIMPLE', true, 'conforms to FITS standard'),
    ...card('BITPIX', 8),
    ...card('NAXIS', 0),
    ...card('EXTEND', true),
  ];
  if (Object.values(metadata).some((v) => v.length > 60)) {
    cards.push(...card('LONGSTRN', 'OGIP 1.0', 'CONTINUE convention for long strings'));
  }
  for (const [key, value] of Object.entries(metadata))
    cards.push(...card(key.toUpperCase(), value));
  return headerBytes(cards);
}
