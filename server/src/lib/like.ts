/** Text for a LIKE pattern with its own \, % and _ taken literally (\ is PostgreSQL's default LIKE escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
