// The SvelteKit bench app (row 1's bare request, row 2's checkout variants), built by the bench
// with adapter-node and served with `node build`.
import adapter from '@sveltejs/adapter-node';

export default { kit: { adapter: adapter() } };
