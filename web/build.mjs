// Builds the web app twice with esbuild (docs/web.md):
//   dist/local     served by the local gateway at / (has "sign in as demo user", which asks the local stack for a token)
//   dist/deployed  uploaded to the site bucket by scripts/deploy-web.sh (Cognito hosted UI with PKCE; no local code)
// Each has index.html and assets/ named by content hash. Prints each build's JavaScript size gzipped and fails when the
// app's JavaScript is over its budget.
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BUDGET_GZIP_BYTES = 150 * 1024;

export async function build(variant) {
  const out = join(here, 'dist', variant);
  rmSync(out, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { app: join(here, 'src/main.js') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    // LOCAL is a constant: the deployed build drops every `if (LOCAL)` branch and the modules only they import.
    define: { LOCAL: String(variant === 'local') },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => file.slice(file.lastIndexOf('/') + 1));
  const js = outputs.find((name) => name.endsWith('.js'));
  const css = outputs.find((name) => name.endsWith('.css'));
  const page = readFileSync(join(here, 'src/index.html'), 'utf8')
    .replace('{{css}}', `/assets/${css}`).replace('{{js}}', `/assets/${js}`);
  writeFileSync(join(out, 'index.html'), page);
  const gzipped = gzipSync(readFileSync(join(out, 'assets', js)), { level: 9 }).length;
  return { variant, js, css, gzipped };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(join(here, 'dist'), { recursive: true });
  for (const variant of ['local', 'deployed']) {
    const { js, gzipped } = await build(variant);
    const kb = (gzipped / 1024).toFixed(1);
    console.error(`[web] ${variant}: ${js} ${kb} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
    if (gzipped > BUDGET_GZIP_BYTES) {
      console.error(`[web] the ${variant} build's JavaScript is over its budget`);
      process.exit(1);
    }
  }
}
