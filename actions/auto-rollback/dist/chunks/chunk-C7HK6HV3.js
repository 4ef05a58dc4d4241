const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
function escapeData(text){return text.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}function escapeProperty(text){return escapeData(text).replace(/:/g,"%3A").replace(/,/g,"%2C")}function formatCommand(command,properties,message){let pairs=Object.entries(properties).filter(([,value])=>value!==void 0&&value!=="").map(([key,value])=>`${key}=${escapeProperty(String(value))}`);return`::${pairs.length>0?`${command} ${pairs.join(",")}`:command}::${escapeData(message)}`}function writeInfo(message){process.stdout.write(`${message}
`)}function writeWarning(message,properties={}){process.stdout.write(`${formatCommand("warning",{...properties},message)}
`)}function writeError(message,properties={}){process.stdout.write(`${formatCommand("error",{...properties},message)}
`)}function writeDebug(message){process.stdout.write(`${formatCommand("debug",{},message)}
`)}export{formatCommand,writeInfo,writeWarning,writeError,writeDebug};
