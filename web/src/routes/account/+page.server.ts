import { redirect } from '@sveltejs/kit';
import type { CertificateSummary } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const certificates = await api<{ certificates: CertificateSummary[] }>(event, 'GET', '/api/certificates/mine');
  return { user: locals.user, welcome: url.searchParams.has('welcome'), certificates: certificates.ok ? certificates.data.certificates : [] };
};
