const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-GUZ23JJS.js";var require_node_crypto=__commonJS({"node-builtin:node:crypto"(exports,module){module.exports=process.getBuiltinModule("node:crypto")}});export{require_node_crypto};
