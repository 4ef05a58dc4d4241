const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-GUZ23JJS.js";var require_node_path=__commonJS({"node-builtin:node:path"(exports,module){module.exports=process.getBuiltinModule("node:path")}});export{require_node_path};
