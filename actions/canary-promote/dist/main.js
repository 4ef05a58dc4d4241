import { createRequire as __atomCreateRequire } from 'node:module'; const require = __atomCreateRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-RPUOBIIV.js";import"./chunks/chunk-WZ3LYG6O.js";import"./chunks/chunk-BFVMDGI7.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-AYUCPRNP.js");await execute(settings)});
