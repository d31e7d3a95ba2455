import { error, fail, redirect } from '@sveltejs/kit';
import type { Role } from '@konkurs/server/api-types';
import { isOneOf, notOneOf } from '$lib/one-of';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const ROLES: readonly Role[] = ['organizer', 'juror', 'applicant', 'student'];

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const q = event.url.searchParams.get('q') ?? '';
  const offset = Math.max(0, Number(event.url.searchParams.get('offset')) || 0);
  const result = await apiResult(
    apiFor(event).GET('/api/users', { params: { query: { q, offset, limit: PAGE_SIZE } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { ...result.data, q, offset, pageSize: PAGE_SIZE, me: event.locals.user.id };
};

export const actions: Actions = {
  setRoles: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const picked = form.getAll('roles').map(String);
    const roles = picked.filter((role) => isOneOf(ROLES, role));
    if (roles.length !== picked.length)
      return fail(400, { id, message: `Проверьте введённые данные. ${notOneOf('Роли')}` });
    const result = await apiResult(
      apiFor(event).PUT('/api/users/{id}/roles', { params: { path: { id } }, body: { roles } }),
    );
    if (!result.ok) return fail(result.status, { id, message: result.error.message });
    return { id, saved: `Роли пользователя ${result.data.user.fullName} сохранены.` };
  },
};
