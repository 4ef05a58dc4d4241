const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-IJDTJKGR.js";import"./chunks/chunk-SPIBJHTK.js";import"./chunks/chunk-GUZ23JJS.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-FRHZIKC2.js");await execute(settings)});
