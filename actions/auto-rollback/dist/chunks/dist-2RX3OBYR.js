import { createRequire as __atomCreateRequire } from 'node:module'; const require = __atomCreateRequire(import.meta.url);
import{require_dist}from"./chunk-NNKNLSSG.js";import"./chunk-BFVMDGI7.js";export default require_dist();
