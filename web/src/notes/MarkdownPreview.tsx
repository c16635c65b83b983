/**
 * The notes rendered from Markdown. marked only lexes; the tokens become React elements here, so
 * no HTML string is ever put into the page: raw HTML in a note shows as text, and a link keeps
 * only an http(s) or mailto target. Notes quote candidate code, which is hostile.
 */
import { Fragment, type ReactNode } from 'react'
import { marked, type Token, type Tokens } from 'marked'

/** Interview-clock stamps (`[12:34]`, `[1:02:03]`), shown as chips. */
const stampPattern = /(\[\d{1,2}(?::\d\d){1,2}\])/

export function MarkdownPreview({ markdown }: { markdown: string }) {
  if (markdown.trim().length === 0) {
    return <p className="notes-empty">Nothing written yet.</p>
  }
  const tokens = marked.lexer(markdown, { gfm: true, breaks: true })
  return <div className="markdown">{blocks(tokens)}</div>
}

function blocks(tokens: Token[]): ReactNode[] {
  return tokens.map((token, index) => <Fragment key={index}>{block(token)}</Fragment>)
}

function block(token: Token): ReactNode {
  const t = token as Tokens.Generic
  switch (token.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(3, (t as Tokens.Heading).depth + 2))
      const Heading = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6'
      return <Heading>{inline(t.tokens ?? [])}</Heading>
    }
    case 'paragraph':
      return <p>{inline(t.tokens ?? [])}</p>
    case 'list': {
      const list = t as Tokens.List
      const items = list.items.map((item, index) => (
        <li key={index}>
          {item.task ? <input type="checkbox" checked={item.checked === true} readOnly /> : null}
          {item.loose ? blocks(item.tokens) : blockInline(item.tokens)}
        </li>
      ))
      return list.ordered ? (
        <ol start={list.start === '' ? undefined : list.start}>{items}</ol>
      ) : (
        <ul>{items}</ul>
      )
    }
    case 'code':
      return (
        <pre>
          <code>{(t as Tokens.Code).text}</code>
        </pre>
      )
    case 'blockquote':
      return <blockquote>{blocks(t.tokens ?? [])}</blockquote>
    case 'hr':
      return <hr />
    case 'space':
    case 'def':
      return null
    case 'table': {
      const table = t as Tokens.Table
      return (
        <table>
          <thead>
            <tr>
              {table.header.map((cell, index) => (
                <th key={index}>{inline(cell.tokens)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.map((cell, index) => (
                  <td key={index}>{inline(cell.tokens)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )
    }
    case 'text':
      return <p>{t.tokens === undefined ? stamped(String(t.text)) : inline(t.tokens)}</p>
    default:
      // html and anything unknown: the source, as text.
      return <p>{stamped(t.raw)}</p>
  }
}

/** A tight list item: its text tokens inline, nested lists as blocks. */
function blockInline(tokens: Token[]): ReactNode[] {
  return tokens.map((token, index) => (
    <Fragment key={index}>
      {token.type === 'text' ? inline((token as Tokens.Text).tokens ?? [token]) : block(token)}
    </Fragment>
  ))
}

function inline(tokens: Token[]): ReactNode[] {
  return tokens.map((token, index) => <Fragment key={index}>{span(token)}</Fragment>)
}

function span(token: Token): ReactNode {
  const t = token as Tokens.Generic
  switch (token.type) {
    case 'strong':
      return <strong>{inline(t.tokens ?? [])}</strong>
    case 'em':
      return <em>{inline(t.tokens ?? [])}</em>
    case 'del':
      return <del>{inline(t.tokens ?? [])}</del>
    case 'codespan':
      return <code>{(t as Tokens.Codespan).text}</code>
    case 'br':
      return <br />
    case 'link': {
      const link = t as Tokens.Link
      const href = safeHref(link.href)
      return href === null ? (
        inline(link.tokens)
      ) : (
        <a href={href} target="_blank" rel="noreferrer noopener">
          {inline(link.tokens)}
        </a>
      )
    }
    case 'image':
      return `[${(t as Tokens.Image).text}]`
    case 'text':
    case 'escape':
      return t.tokens === undefined ? stamped(String(t.text)) : inline(t.tokens)
    default:
      return stamped(t.raw)
  }
}

function stamped(text: string): ReactNode[] {
  return text.split(stampPattern).map((part, index) =>
    index % 2 === 1 ? (
      <span key={index} className="note-stamp">
        {part}
      </span>
    ) : (
      part
    ),
  )
}

function safeHref(href: string): string | null {
  try {
    const url = new URL(href)
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:'
      ? url.href
      : null
  } catch {
    return null
  }
}
