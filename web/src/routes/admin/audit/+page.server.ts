import { error, redirect } from '@sveltejs/kit';
import type { AuditLogResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const params = event.url.searchParams;
  const filters = { area: params.get('area') ?? '', actor: params.get('actor') ?? '', entityId: params.get('entityId') ?? '' };
  const kept = Object.entries(filters).filter(([, value]) => value.trim() !== '');
  const before = params.get('before');
  const query = new URLSearchParams([...kept, ...(before ? [['before', before]] : []), ['limit', String(PAGE_SIZE)]]);
  const result = await api<AuditLogResponse>(event, 'GET', `/api/audit?${query}`);
  if (!result.ok) error(result.status, result.error.message);
  const { entries, nextBefore } = result.data;
  return {
    entries,
    filters,
    newest: before ? `?${new URLSearchParams(kept)}` : null,
    earlier: nextBefore === null ? null : `?${new URLSearchParams([...kept, ['before', String(nextBefore)]])}`,
  };
};
