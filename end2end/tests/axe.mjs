// axe-core on a page: every WCAG 2.1 A/AA rule, zero violations allowed.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

/** Where screenshots go (scripts/e2e points this into target/). */
export const ARTIFACTS = process.env.ARTIFACTS_DIR ?? 'artifacts';

export async function assertAccessible(page, name) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.deepEqual(found, [], `${name}: axe-core violations at ${page.url()}`);
}
