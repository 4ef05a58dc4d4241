const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{__commonJS}from"./chunk-GUZ23JJS.js";var require_node_net=__commonJS({"node-builtin:node:net"(exports,module){module.exports=process.getBuiltinModule("node:net")}});export{require_node_net};
