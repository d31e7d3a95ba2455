import { error } from '@sveltejs/kit';
import type { VerificationResult } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await api<VerificationResult>(event, 'GET', `/api/verify/${encodeURIComponent(event.params.code)}`);
  if (result.ok) return { certificate: result.data, notFound: null };
  if (result.status === 404) return { certificate: null, notFound: result.error.message };
  error(result.status, result.error.message);
};
