/**
 * Compiles the engine scripts to plain JavaScript before they run, so that each engine's
 * process is Node and the engine alone. Run through tsx instead, every process also carried
 * tsx's module hooks, about 90 MB of RSS before an engine had loaded anything, which no
 * user's process spends.
 *
 * Each TypeScript file is transpiled on its own (types were checked by `npm run typecheck`),
 * following relative imports from the entry points; package imports stay as they are and
 * resolve to the packages' builds. The output mirrors the repository under `bench/.build`,
 * inside it so that those imports find its node_modules.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*(['"])(\.{1,2}\/[^'"]+)\1/g;

/** Transpiles `entries` and the files they import; returns each entry's compiled path. */
export function compileScripts(repoRoot: string, entries: readonly string[]): string[] {
  const outRoot = path.join(repoRoot, 'bench', '.build');
  const outputOf = (source: string) =>
    path.join(outRoot, path.relative(repoRoot, source)).replace(/\.ts$/, '.js');
  // JavaScript, JSON and other files imported by a relative path go along unchanged.
  const copyAsIs = (source: string, output: string) => {
    mkdirSync(path.dirname(output), { recursive: true });
    copyFileSync(source, output);
  };
  const pending = [...entries];
  const done = new Set<string>();

  while (pending.length > 0) {
    const source = pending.pop()!;
    if (done.has(source)) continue;
    done.add(source);
    const text = readFileSync(source, 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const imported = path.resolve(path.dirname(source), match[2]!);
      const typescript = imported.replace(/\.js$/, '.ts');
      if (typescript !== imported && existsSync(typescript)) pending.push(typescript);
      else copyAsIs(imported, outputOf(imported));
    }
    const { outputText } = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
      },
    });
    const output = outputOf(source);
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(output, outputText);
  }
  writeFileSync(path.join(outRoot, 'package.json'), '{ "type": "module" }\n');
  return entries.map(outputOf);
}
