const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-K4AQ6HEW.js";var require_node_buffer=__commonJS({"node-builtin:node:buffer"(exports,module){module.exports=process.getBuiltinModule("node:buffer")}});export{require_node_buffer};
