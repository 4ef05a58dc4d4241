const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{readSettings,run}from"./chunks/chunk-ADDAUCKR.js";import"./chunks/chunk-LHJXCFBA.js";import"./chunks/chunk-GUZ23JJS.js";await run(async()=>{let settings=await readSettings(),{execute}=await import("./chunks/execute-NLT4TKLX.js");await execute(settings)});
