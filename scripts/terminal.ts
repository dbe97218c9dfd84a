/*
 * Colour for the developer scripts' own output: only on a terminal, and never
 * when NO_COLOR is set (https://no-color.org), so that output piped to a file
 * or a test holds plain text.
 */

export interface Stream {
  readonly isTTY?: boolean;
}

/** Whether text written to `stream` may carry ANSI colour codes. */
export function colourFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

export interface Style {
  readonly colour: boolean;
  bold(text: string): string;
  dim(text: string): string;
}

/** Bold and dim text when `colour`, the text unchanged otherwise. */
export function style(colour: boolean): Style {
  const wrap = (code: number, reset: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[${reset}m` : text);
  return { colour, bold: wrap(1, 22), dim: wrap(2, 22) };
}
