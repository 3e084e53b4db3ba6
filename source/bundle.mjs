// The command users run: source/cli.tsx and everything it imports bundled by esbuild into dist/bin/, one ESM
// file per lazy part. Node then reads a few files instead of resolving ~1,000 modules (ink and react with their
// dependencies, and ours): the first frame of the monitor came ~1 s after start from tsc's output.
//
// What cli.tsx and open-sources.ts import() stays a separate file (code splitting), so --version, --help and line
// mode still load neither the UI nor a transport. dist/bin/meta.json says which inputs each file holds (the
// start-up test reads it).
//
//   node source/bundle.mjs          (npm run build runs it after tsc -b)

import {copyFileSync, rmSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

const outdir = 'dist/bin';
rmSync(outdir, {recursive: true, force: true});
const result = await build({
	entryPoints: {cli: 'source/cli.tsx'},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	// Bundled CommonJS packages (react, ws, grpc-js) call require() for Node's own modules; ESM has none.
	banner: {js: "import {createRequire as __armorwatchRequire} from 'node:module'; const require = __armorwatchRequire(import.meta.url);"},
	// ink imports React's devtools only with DEV=true, and ws its native helpers only if installed: not shipped.
	// The gRPC and NATS clients load from node_modules as they are: only a source of theirs loads them, so they
	// cost start-up nothing, and bundled they break (a CommonJS package import()ed arrives as {default} only,
	// and protobufjs finds its modules with a require of its own).
	external: ['react-devtools-core', 'bufferutil', 'utf-8-validate', '@grpc/*', '@nats-io/*'],
	define: {'process.env.NODE_ENV': '"production"'},
	metafile: true,
	logLevel: 'warning',
	legalComments: 'none',
	sourcemap: 'linked',
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
// The gRPC feed reads its .proto next to itself (protoPath in grpc-feed.ts).
copyFileSync('source/feed/grpc/kubearmor.proto', `${outdir}/kubearmor.proto`);
