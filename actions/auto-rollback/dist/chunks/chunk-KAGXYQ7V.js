const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-GUZ23JJS.js";var require_node_os=__commonJS({"node-builtin:node:os"(exports,module){module.exports=process.getBuiltinModule("node:os")}});export{require_node_os};
