const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-ADDAUCKR.js";import"./chunks/chunk-LHJXCFBA.js";import"./chunks/chunk-GUZ23JJS.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-O6HZC3PO.js");await execute(settings)});
