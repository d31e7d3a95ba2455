import { onMount } from 'svelte';

/**
 * Whether the page's script has started. The form and rubric editors keep their state in the script and send it as
 * JSON that the script writes, so they stay disabled until it runs: typing before it would be replaced by the state
 * the page was loaded with, and a click would send that state. Call it while the component initialises.
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
