import { error, redirect } from '@sveltejs/kit';
import type { OutboxResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const to = event.url.searchParams.get('to') ?? '';
  const result = await api<OutboxResponse>(event, 'GET', `/api/mail/outbox?${new URLSearchParams(to ? { to } : {})}`);
  if (!result.ok) error(result.status, result.error.message);
  return { ...result.data, to };
};
