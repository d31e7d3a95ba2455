import { sql, type Db } from '@konkurs/db';
import { escapeLike } from '../../lib/like.ts';

/** The users whose e-mail or ФИО contains the text, in any letter case (Cyrillic and ё included). */
export function usersMatching(db: Db, text: string) {
  const like = `%${escapeLike(text.trim().toLowerCase())}%`;
  return db
    .selectFrom('users')
    .where((eb) =>
      eb.or([
        eb('email', 'like', like),
        eb(sql`lower(last_name || ' ' || first_name || ' ' || coalesce(middle_name, ''))`, 'like', like),
      ]),
    );
}
