import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../web/src/lib/markdown.ts';

describe('the rules (положение) as Markdown', () => {
  test('headings, lists and emphasis become HTML', () => {
    const html = renderMarkdown('## 1. Общие положения\n\n- пункт **важный**\n- второй');
    expect(html).toContain('<h2>1. Общие положения</h2>');
    expect(html).toContain('<li>пункт <strong>важный</strong></li>');
  });

  test('raw HTML is shown as text and script links are dropped, so the text can never run a script', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[ссылка](javascript:alert(1)) [сайт](https://smolensk.ru)',
    );
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://smolensk.ru" rel="noopener noreferrer">сайт</a>');
    expect(html).toContain('ссылка');
  });
});
