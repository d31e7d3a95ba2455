import type { Db } from '@konkurs/db';
import { escapeLike } from './like.ts';
import { latinLowerCase } from './translit.ts';

/** The address part made from a title: Latin lower case, digits and hyphens ("Олимпиада по праву" → "olimpiada-po-pravu"). */
export function slugFromTitle(title: string, fallback: string): string {
  const slug = latinLowerCase(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** The first of slug, slug-2, slug-3 … that no row of the table has. */
export async function freeSlug(db: Db, table: 'olympiads' | 'contests', base: string): Promise<string> {
  const taken = new Set(
    (
      await db
        .selectFrom(table)
        .select('slug')
        .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${escapeLike(base)}-%`)]))
        .execute()
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
