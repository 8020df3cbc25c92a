/**
 * Everything SQAI sends (titles, steps, Gherkin, rationale) reaches the Custom UIs as data and must be
 * rendered as text. React escapes text; these are the ways around it, and none belongs in static/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const staticDir = path.resolve(__dirname, '../../../static');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'build' || name === 'node_modules' ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const RAW_HTML = [
  /dangerouslySetInnerHTML/,
  /\.innerHTML\s*=/,
  /\.outerHTML\s*=/,
  /insertAdjacentHTML/,
  /document\.write/,
  /createContextualFragment/,
];

describe('Custom UI sources render untrusted text as text', () => {
  const files = sources(staticDir);

  it('finds the sources', () => {
    expect(files.some((file) => file.endsWith(path.join('generate', 'ProposalCard.tsx')))).toBe(true);
  });

  it.each(RAW_HTML.map((pattern) => [pattern.source, pattern] as const))(
    'nothing uses %s',
    (_name, pattern) => {
      const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8')));
      expect(offenders.map((file) => path.relative(staticDir, file))).toEqual([]);
    },
  );
});
