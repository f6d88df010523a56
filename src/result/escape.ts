/**
 * Free text from an untrusted result file (object names, messages, target names, notes) made
 * inert before any of it reaches Markdown, whichever renderer it goes through: no HTML (so no
 * hidden comment can forge one of our markers, no <img> can beacon), no links or images, no
 * @-mentions or #-references that notify people, no terminal or bidirectional control characters.
 * What is left reads the same to a person. Code (a rendered diff) is not free text: it goes into
 * fences that no content can close (github/markdown.ts), and only loses control characters.
 */

import { stripControls } from '../model/text.js';

const ZWSP = '\u200b';

/** Text for prose, table cells and headings: inert whatever it holds. */
export function neutralize(text: string): string {
  return (
    stripControls(text)
      // No raw HTML or comments: the angle brackets become look-alikes that are never markup.
      .replace(/</g, '\u2039')
      .replace(/>/g, '\u203a')
      // Entities would let `&lt;` turn back into markup in a renderer that decodes them.
      .replace(/&(?=[#\w]+;)/g, `&${ZWSP}`)
      // No links or images: `](` and `]:` (reference definitions) are broken apart.
      .replace(/\]\s*([(:[])/g, `]${ZWSP}$1`)
      // No autolinked URLs.
      .replace(/([a-z][\w+.-]*):\/\//gi, `$1:${ZWSP}//`)
      .replace(/\bwww\./gi, `www${ZWSP}.`)
      // No mentions or issue references that notify.
      .replace(/(^|[^\w`])@(?=[\w-])/g, `$1@${ZWSP}`)
      .replace(/(^|[^\w&`])#(?=\d)/g, `$1#${ZWSP}`)
  );
}
