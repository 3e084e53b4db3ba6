// `node --import <this file> ...` with ARMORWATCH_LOAD_LOG=FILE: every module the process loads is listed in FILE.
import {register} from 'node:module';

const file = process.env['ARMORWATCH_LOAD_LOG'];
if (file) register('./module-load-hooks.js', import.meta.url, {data: {file}});
