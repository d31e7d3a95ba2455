import { error, redirect } from '@sveltejs/kit';
import type { AuditArea } from '@konkurs/server/api-types';
import { isOneOf, notOneOf } from '$lib/one-of';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const AREAS: readonly AuditArea[] = ['applications', 'contests', 'jury', 'olympiad', 'certificates', 'users'];

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const params = event.url.searchParams;
  const filters = {
    area: params.get('area') ?? '',
    actor: params.get('actor') ?? '',
    entityId: params.get('entityId') ?? '',
  };
  const kept = Object.entries(filters).filter(([, value]) => value.trim() !== '');
  const before = params.get('before');
  const given = (value: string) => (value.trim() === '' ? undefined : value);
  const area = given(filters.area);
  if (area !== undefined && !isOneOf(AREAS, area)) error(400, `Проверьте введённые данные. ${notOneOf('Раздел')}`);
  const beforeId = before ? Number(before) : undefined;
  if (beforeId !== undefined && !Number.isInteger(beforeId))
    error(400, 'Проверьте введённые данные. Поле «Раньше записи» заполнено неверно: ожидается целое число.');
  const query = {
    area,
    actor: given(filters.actor),
    entityId: given(filters.entityId),
    before: beforeId,
    limit: PAGE_SIZE,
  };
  const result = await apiResult(apiFor(event).GET('/api/audit', { params: { query } }));
  if (!result.ok) error(result.status, result.error.message);
  const { entries, nextBefore } = result.data;
  return {
    entries,
    filters,
    newest: before ? `?${new URLSearchParams(kept)}` : null,
    earlier: nextBefore === null ? null : `?${new URLSearchParams([...kept, ['before', String(nextBefore)]])}`,
  };
};
