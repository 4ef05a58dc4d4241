const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-GUZ23JJS.js";var require_node_fs=__commonJS({"node-builtin:node:fs"(exports,module){module.exports=process.getBuiltinModule("node:fs")}});export{require_node_fs};
