import escapeHtml from 'escape-html';

/**
 * Escape-by-default markup for the status page, its Atom feed and its SVG badges: every value put into
 * an `html` template is escaped unless it is itself SafeHtml, which only `html` and `raw` make.
 *
 * Escaping is escape-html (the one express uses: & < > " ' as named or numeric references, valid in
 * HTML, SVG and XML alike). The composition on top is these few lines because no well-kept package fits:
 * escape-goat's tag escapes nested templates again; ghtml returns plain strings and lifts escaping for any
 * value written after a `!`, which types cannot check; escape-html-template-tag is little used, rewrites
 * `/` and `=` (changing every URL in the feed) and pulls in a browser database at run time; hono's
 * helper is typed as possibly a Promise and comes with a web framework.
 */
const brand: unique symbol = Symbol('SafeHtml');

/** Markup that is safe to send: made only by `html`, `join` and `raw` below (the class is not exported). */
export interface SafeHtml {
  readonly [brand]: true;
  toString(): string;
}

class Markup implements SafeHtml {
  readonly [brand] = true as const;
  constructor(private readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template accepts: text and numbers (escaped), markup, and lists of those (concatenated). */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[];

const render = (value: HtmlValue): string => {
  if (value instanceof Markup) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/** The tag: literal parts are markup, every interpolated value is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Markup(out);
}

/** Items joined by a separator (escaped like any value unless it is markup). */
export const join = (items: readonly HtmlValue[], separator: HtmlValue): SafeHtml => new Markup(items.map(render).join(render(separator)));

/** Trusted markup: only for the project's own constant text (the inline stylesheet), never for data. */
export const raw = (markup: string): SafeHtml => new Markup(markup);
