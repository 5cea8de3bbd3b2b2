/**
 * JSON.parse for files people may have edited by hand: a leading byte-order mark (Windows
 * Notepad saves UTF-8 with one) is skipped, and a syntax error says where it is as a line and
 * column, not only V8's character position.
 */
export function parseJsonText(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new SyntaxError(describeJsonError((err as Error).message, body), { cause: err });
  }
}

function describeJsonError(message: string, body: string): string {
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const at = Number(position[1]);
    const before = body.slice(0, at).split('\n');
    const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
    return `${message.slice(0, position.index).trimEnd()}: ${where}`;
  }
  if (/^Unexpected end of JSON input/.test(message)) return 'the text ends too early (truncated?)';
  // "Unexpected token 'x', "...whole text..." is not valid JSON": keep the token, not the text
  const token = /^Unexpected token ('.*?'),/.exec(message);
  return token ? `unexpected character ${token[1]}` : message;
}
