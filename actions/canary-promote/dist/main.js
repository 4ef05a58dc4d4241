import { createRequire as __atomCreateRequire } from 'node:module'; const require = __atomCreateRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-WOBC4WMM.js";import"./chunks/chunk-TL6IAOZY.js";import"./chunks/chunk-BFVMDGI7.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-YIBRXK5M.js");await execute(settings)});
