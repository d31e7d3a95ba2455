import { error, fail, redirect } from '@sveltejs/kit';
import type { Role, UserDto } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const q = event.url.searchParams.get('q') ?? '';
  const offset = Math.max(0, Number(event.url.searchParams.get('offset')) || 0);
  const query = new URLSearchParams({ q, offset: String(offset), limit: String(PAGE_SIZE) });
  const result = await api<{ users: UserDto[]; total: number }>(event, 'GET', `/api/users?${query}`);
  if (!result.ok) error(result.status, result.error.message);
  return { ...result.data, q, offset, pageSize: PAGE_SIZE, me: event.locals.user.id };
};

export const actions: Actions = {
  setRoles: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const roles = form.getAll('roles').map(String) as Role[];
    const result = await api<{ user: UserDto }>(event, 'PUT', `/api/users/${encodeURIComponent(id)}/roles`, { roles });
    if (!result.ok) return fail(result.status, { id, message: result.error.message });
    return { id, saved: `Роли пользователя ${result.data.user.fullName} сохранены.` };
  },
};
