// The Next.js bench app (row 1's bare request, row 2's checkout variants, row 6). Built once by
// the bench into .next and served with `next start`. `turbopack.root`: the workspace root, where
// pnpm keeps the packages this app links to.
import { fileURLToPath } from 'node:url';

export default {
  turbopack: { root: fileURLToPath(new URL('../../..', import.meta.url)) },
};
