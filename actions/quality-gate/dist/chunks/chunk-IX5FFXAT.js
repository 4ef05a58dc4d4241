const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-K4AQ6HEW.js";var require_node_worker_threads=__commonJS({"node-builtin:node:worker_threads"(exports,module){module.exports=process.getBuiltinModule("node:worker_threads")}});export{require_node_worker_threads};
