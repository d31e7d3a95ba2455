import { onMount } from 'svelte';

/**
 * Whether the page's script has started. The form and rubric editors send what they hold as JSON that the
 * script writes; their save buttons wait for it, because a click before it would send what the page was
 * loaded with and drop what was just typed. Call it while the component initialises.
 */
export function hydrated(): { readonly current: boolean } {
  let ready = $state(false);
  onMount(() => {
    ready = true;
  });
  return {
    get current() {
      return ready;
    },
  };
}
