import { createRequire as __atomCreateRequire } from 'node:module'; const require = __atomCreateRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-ETQS4H4T.js";import"./chunks/chunk-2DPBFIMG.js";import"./chunks/chunk-BFVMDGI7.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-27P6CC5I.js");await execute(settings)});
