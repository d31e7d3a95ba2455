/**
 * The body serializer of upload routes: their declared fields (the file in `file`) as multipart/form-data; the
 * browser sets the content type with its boundary.
 *
 *   browserApi.POST('/api/contests/{id}/rules-file', { params, body: { file }, bodySerializer: formData })
 */
export function formData(body: Record<string, Blob | string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) form.append(name, value);
  return form;
}
