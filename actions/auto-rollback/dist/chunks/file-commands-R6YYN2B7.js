const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{appendStepSummary,setOutput,setOutputs}from"./chunk-AYW4H6X2.js";import"./chunk-KAGXYQ7V.js";import"./chunk-ZRFJHI2U.js";import"./chunk-C7HK6HV3.js";import"./chunk-U2I7MMPA.js";import"./chunk-GUZ23JJS.js";export{appendStepSummary,setOutput,setOutputs};
