import type { Db } from '@konkurs/db';

/** A stored file with what deciding who may download it needs: its purpose and, for an attachment, the applicant. */
export function findStoredFile(db: Db, id: string) {
  return db
    .selectFrom('stored_files as s')
    .leftJoin('application_files as af', 'af.file_id', 's.id')
    .leftJoin('applications as a', 'a.id', 'af.application_id')
    .select(['s.id', 's.purpose', 's.storage_key', 's.original_name', 's.mime_type', 's.size_bytes', 'a.applicant_id'])
    .where('s.id', '=', id)
    .executeTakeFirst();
}
