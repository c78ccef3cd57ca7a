// Bundle the browser code into api/web/static/vendor/ (run by `make install`; output not committed).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'api', 'web', 'static', 'vendor');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { viewer: join(here, 'src/viewer.js'), modeler: join(here, 'src/modeler.js'),
                 dmn: join(here, 'src/dmn.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'edge100'],
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});

const modules = join(here, 'node_modules');
cpSync(join(modules, 'echarts/dist/echarts.min.js'), join(out, 'echarts.min.js'));
cpSync(join(modules, 'bpmn-js/dist/assets'), join(out, 'bpmn-js'), { recursive: true });
cpSync(join(modules, 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css'), join(out, 'bpmn-js-bpmnlint.css'));
cpSync(join(modules, 'dmn-js/dist/assets'), join(out, 'dmn-js'), { recursive: true });
console.log(`web bundles written to ${out}`);
