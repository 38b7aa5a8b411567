import type { FilingHead, FilingStore } from '../../store/filings';
import type { Article } from './types';

const ARTICLE_HEADING = /^\s*第([一二三四五六七八九十百零〇两\d]+)条/;

/**
 * The draft by article, so the public can comment on one (R8). Drafts written in 条 are split at
 * each 第…条; anything else is split into its paragraphs.
 */
export function splitArticles(text: string): Article[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const numbered = lines.some((line) => ARTICLE_HEADING.test(line));
  if (!numbered) return lines.map((line, index) => ({ number: index + 1, heading: `第${index + 1}段`, text: line }));
  const articles: Article[] = [];
  for (const line of lines) {
    const match = ARTICLE_HEADING.exec(line);
    if (match || articles.length === 0) {
      articles.push({ number: articles.length + 1, heading: match ? `第${match[1]}条` : '前言', text: line });
    } else {
      articles[articles.length - 1].text += `\n${line}`;
    }
  }
  return articles;
}

/** The text of one version of a filing's draft ('' when it has none of that number). */
export async function draftText(filings: FilingStore, head: Pick<FilingHead, 'textVersions'>, version: number): Promise<string> {
  const meta = head.textVersions.find((v) => v.version === version);
  return (meta && (await filings.text(meta.sha256))) ?? '';
}
