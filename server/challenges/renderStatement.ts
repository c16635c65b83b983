import { marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/** Markdown to HTML, then sanitised: authors are trusted, but a statement must never run script. */
export function renderStatement(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true })
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'input'],
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      code: ['class'],
      input: ['type', 'checked', 'disabled'],
      img: ['src', 'alt', 'title'],
    },
    allowedSchemes: ['https', 'data'],
  })
}
